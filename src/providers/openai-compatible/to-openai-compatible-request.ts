import type { ChatRequest } from '../../wire/openai/types.js'
import type { UpstreamCall } from '../types.js'

/**
 * The canonical request as this provider accepts it. Quirks are data from the catalog, applied in one
 * order: model and streaming set, output tokens clamped, fields renamed, fields filtered, messages cleaned.
 * SmartSplit always streams upstream (non-streaming clients get the stream collected).
 */
export function toOpenAICompatibleRequest(call: UpstreamCall): Record<string, unknown> {
  const { quirks } = call
  const body: Record<string, unknown> = { ...call.request, model: call.model, stream: true }
  if (quirks.supportsStreamOptions === false) delete body.stream_options
  else body.stream_options = { include_usage: true }

  if (quirks.maxOutputTokens !== undefined) {
    for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
      const value = body[field]
      if (typeof value === 'number' && value > quirks.maxOutputTokens) body[field] = quirks.maxOutputTokens
    }
  }
  if (quirks.maxTemperature !== undefined && typeof body.temperature === 'number') {
    body.temperature = Math.min(body.temperature, quirks.maxTemperature)
  }
  for (const [from, to] of Object.entries(quirks.renameFields ?? {})) {
    if (body[from] !== undefined && body[from] !== null) {
      body[to] ??= body[from]
    }
    delete body[from]
  }
  if (quirks.allowedFields !== undefined) {
    const allowed = new Set(quirks.allowedFields)
    for (const key of Object.keys(body)) if (!allowed.has(key)) delete body[key]
  }
  if (quirks.stripMessageFields !== undefined && quirks.stripMessageFields.length > 0) {
    body.messages = stripMessageFields(call.request.messages, quirks.stripMessageFields)
  }
  return body
}

function stripMessageFields(messages: ChatRequest['messages'], fields: readonly string[]): unknown[] {
  return messages.map((message) => {
    const copy: Record<string, unknown> = { ...message }
    for (const field of fields) delete copy[field]
    return copy
  })
}
