// Anthropic Messages API shapes (wire-formats.md §2), used in both directions: toAnthropicRequest builds
// them for the upstream, parseAnthropicRequest validates them from Claude Code and the @anthropic-ai/sdk.
// Index signatures keep the fields real clients send that SmartSplit does not read (citations, ttl…).

export interface AnthropicCacheControl {
  type: string
  [key: string]: unknown
}

export interface AnthropicTextBlock {
  type: 'text'
  text: string
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export type AnthropicImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }

export interface AnthropicImageBlock {
  type: 'image'
  source: AnthropicImageSource
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export type AnthropicDocumentSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type: string; data: string }

export interface AnthropicDocumentBlock {
  type: 'document'
  source: AnthropicDocumentSource
  title?: string | null | undefined
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export interface AnthropicToolUseBlock {
  type: 'tool_use'
  id: string
  name: string
  input: Record<string, unknown>
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export interface AnthropicToolResultBlock {
  type: 'tool_result'
  tool_use_id: string
  content?: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock> | undefined
  is_error?: boolean | undefined
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export interface AnthropicThinkingBlock {
  type: 'thinking'
  thinking: string
  signature: string
  [key: string]: unknown
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking'
  data: string
  [key: string]: unknown
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock

export interface AnthropicMessageParam {
  /** "system": a mid-conversation instruction (Claude Opus 4.8 and later); SmartSplit never sends one. */
  role: 'user' | 'assistant' | 'system'
  content: string | AnthropicContentBlock[]
}

/** A client tool. Server tools (web_search_…, bash_…) carry a `type` and no input_schema. */
export interface AnthropicTool {
  name: string
  description?: string | undefined
  input_schema?: Record<string, unknown> | undefined
  type?: string | undefined
  cache_control?: AnthropicCacheControl | null | undefined
  [key: string]: unknown
}

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'any'; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'none' }

export interface AnthropicMessagesRequest {
  model: string
  messages: AnthropicMessageParam[]
  max_tokens: number
  system?: string | AnthropicTextBlock[] | undefined
  stop_sequences?: string[] | undefined
  stream?: boolean | undefined
  temperature?: number | undefined
  top_p?: number | undefined
  top_k?: number | undefined
  metadata?: { user_id?: string | null | undefined; [key: string]: unknown } | undefined
  tools?: AnthropicTool[] | undefined
  tool_choice?: AnthropicToolChoice | undefined
  thinking?: { type: string; budget_tokens?: number | undefined; [key: string]: unknown } | undefined
  output_config?: { format?: AnthropicOutputFormat | null | undefined; [key: string]: unknown } | undefined
  output_format?: AnthropicOutputFormat | null | undefined
  [key: string]: unknown
}

/** A structured-output request: `json_schema` with the JSON Schema the answer must follow. */
export interface AnthropicOutputFormat {
  type: string
  schema?: Record<string, unknown> | undefined
  [key: string]: unknown
}

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'

export interface AnthropicUsage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens?: number | null | undefined
  cache_read_input_tokens?: number | null | undefined
}

/** A response block as SmartSplit produces it (JSON responses of /v1/messages). */
export type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }

export interface AnthropicMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: AnthropicResponseBlock[]
  stop_reason: AnthropicStopReason | null
  stop_sequence: string | null
  usage: AnthropicUsage
}

/** One SSE event as SmartSplit writes it: the `event:` name and the JSON `data:` payload. */
export interface AnthropicSseEvent {
  event: string
  data: string
}
