import { pushAll } from '../../lib/push-all.js'
import type { ChatMessage, ChatRequest, ResponseFormat } from '../openai/types.js'
import { fromResponsesInput } from './from-responses-input.js'
import { fromResponsesTools } from './from-responses-tools.js'
import type { ResponsesRequest } from './types.js'

function toResponseFormat(
  format: NonNullable<ResponsesRequest['text']>['format'],
): ResponseFormat | undefined {
  if (format === undefined) return undefined
  switch (format.type) {
    case 'text':
      return undefined // the default; some providers reject an explicit text format
    case 'json_object':
      return { type: 'json_object' }
    case 'json_schema': {
      const schema: { name: string; schema: Record<string, unknown>; strict?: boolean | null } & Record<
        string,
        unknown
      > = { name: format.name, schema: format.schema }
      if (format.description !== undefined) schema.description = format.description
      if (typeof format.strict === 'boolean') schema.strict = format.strict
      return { type: 'json_schema', json_schema: schema }
    }
  }
}

/**
 * A validated POST /v1/responses body → the canonical chat request, routed like any other. instructions
 * become the first system message, input items become messages (fromResponsesInput), function tools are
 * un-flattened (fromResponsesTools), text.format becomes response_format and max_output_tokens max_tokens.
 * Ignored, because they only mean something to OpenAI's own servers: store, include, reasoning (no routed
 * provider accepts OpenAI's reasoning options the same way), metadata (echoed in the Response, not sent
 * upstream), prompt_cache_key, service_tier, truncation, user and any field SmartSplit does not know.
 * Streaming requests ask for usage, which response.completed reports.
 */
export function fromResponsesRequest(req: ResponsesRequest): ChatRequest {
  const messages: ChatMessage[] = []
  if (typeof req.instructions === 'string' && req.instructions.trim() !== '')
    messages.push({ role: 'system', content: req.instructions })
  if (typeof req.input === 'string') messages.push({ role: 'user', content: req.input })
  else pushAll(messages, fromResponsesInput(req.input))

  const chat: ChatRequest = { model: req.model, messages }
  if (typeof req.stream === 'boolean') chat.stream = req.stream
  if (req.stream === true) chat.stream_options = { include_usage: true }
  if (typeof req.max_output_tokens === 'number') chat.max_tokens = req.max_output_tokens
  if (typeof req.temperature === 'number') chat.temperature = req.temperature
  if (typeof req.top_p === 'number') chat.top_p = req.top_p
  const responseFormat = toResponseFormat(req.text?.format)
  if (responseFormat !== undefined) chat.response_format = responseFormat
  Object.assign(chat, fromResponsesTools(req))
  return chat
}
