// OpenAI Responses API shapes (POST /v1/responses), inbound only: the Codex CLI and
// `client.responses.create` speak it, and SmartSplit serves it from the canonical chat request and chunks.
// Request types come from the zod schema, so the validator and the translator cannot drift apart.

import type { z } from 'zod'
import type { responsesRequestSchema } from './responses-request-schema.js'

export type ResponsesRequest = z.output<typeof responsesRequestSchema>

/** One input item after parsing; items SmartSplit drops (hosted tool calls) are null. */
export type ResponsesInputItem = Extract<ResponsesRequest['input'], unknown[]>[number]

export type ResponsesMessageItem = Extract<NonNullable<ResponsesInputItem>, { role: string }>

export type ResponsesContentPart = Extract<ResponsesMessageItem['content'], unknown[]>[number]

export type ResponsesFunctionCallOutputItem = Extract<
  NonNullable<ResponsesInputItem>,
  { type: 'function_call_output' }
>

export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress'

export interface ResponseOutputText {
  type: 'output_text'
  text: string
  annotations: []
  logprobs: []
}

export interface ResponseOutputMessage {
  type: 'message'
  id: string
  status: 'in_progress' | 'completed' | 'incomplete'
  role: 'assistant'
  content: ResponseOutputText[]
}

export interface ResponseFunctionCall {
  type: 'function_call'
  id: string
  call_id: string
  name: string
  arguments: string
  status: 'in_progress' | 'completed' | 'incomplete'
}

export type ResponseOutputItem = ResponseOutputMessage | ResponseFunctionCall

export interface ResponseUsage {
  input_tokens: number
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

export interface ResponseFunctionTool {
  type: 'function'
  name: string
  description?: string
  parameters: Record<string, unknown> | null
  strict: boolean | null
}

/** The fields of a Response that echo the request, the same in every event that carries the Response. */
export interface ResponseEcho {
  instructions: string | null
  max_output_tokens: number | null
  metadata: Record<string, string>
  parallel_tool_calls: boolean
  previous_response_id: null
  reasoning: null
  store: false
  temperature: number | null
  text: { format: Record<string, unknown> }
  tool_choice: unknown
  tools: ResponseFunctionTool[]
  top_p: number | null
  truncation: 'disabled'
  user?: string
}

export interface ResponseObject extends ResponseEcho {
  id: string
  object: 'response'
  created_at: number
  completed_at: number | null
  status: ResponseStatus
  error: { code: ResponseErrorCode; message: string } | null
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null
  model: string
  output: ResponseOutputItem[]
  usage?: ResponseUsage
}

/** The subset of the spec's ResponseErrorCode that a routed answer can fail with. */
export type ResponseErrorCode = 'server_error' | 'rate_limit_exceeded'

/** A failure as the client should see it, already mapped and redacted by http/. */
export interface ResponsesFailure {
  status: number
  message: string
  code: string | null
  param: string | null
}

/** What building a Response needs besides the completion: the request, ids and the time. */
export interface ResponseContext {
  request: ResponsesRequest
  /** A URL-safe random token (injected: wire/ never draws randomness itself). */
  token(length: number): string
  nowMs(): number
}

/** One SSE frame: `event: <type>` and its JSON `data:` (which repeats the type, as OpenAI sends it). */
export interface ResponsesSseEvent {
  event: string
  data: string
}
