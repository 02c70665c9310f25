import { createHash } from 'node:crypto'
import { decodeToolCallId } from '../gemini/tool-call-id.js'
import type { ProviderQuirks } from '../provider-quirks.js'
import type { ChatMessage, ChatRequest } from './types.js'
import { withTextPartsJoined } from './with-text-parts-joined.js'
import {
  hasCacheControl,
  messagesWithoutCacheControl,
  toolsWithoutCacheControl,
} from './without-cache-control.js'

const MISTRAL_ID = /^[a-zA-Z0-9]{9}$/

/**
 * Tool-call ids as this provider accepts them. Ids minted for Gemini carry a thought signature that only
 * Gemini needs (and that breaks OpenAI's 40-character limit); Mistral wants exactly 9 letters and digits.
 * The mapping is deterministic so an assistant call and its tool result still pair up.
 */
function toolCallIdFor(id: string, quirks: ProviderQuirks): string {
  const base = id.includes('__thought__') ? decodeToolCallId(id).baseId : id
  if (quirks.shortToolCallIds !== true || MISTRAL_ID.test(base)) return base
  return createHash('sha256')
    .update(base)
    .digest('base64')
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 9)
}

function withUpstreamToolCallIds(messages: readonly ChatMessage[], quirks: ProviderQuirks): ChatMessage[] {
  return messages.map((message) => {
    if (message.role === 'tool')
      return { ...message, tool_call_id: toolCallIdFor(message.tool_call_id, quirks) }
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      return {
        ...message,
        tool_calls: message.tool_calls.map((call) => ({ ...call, id: toolCallIdFor(call.id, quirks) })),
      }
    }
    return message
  })
}

function needsIdRewrite(messages: readonly ChatMessage[], quirks: ProviderQuirks): boolean {
  return messages.some(
    (m) =>
      (m.role === 'tool' && toolCallIdFor(m.tool_call_id, quirks) !== m.tool_call_id) ||
      (m.role === 'assistant' &&
        Array.isArray(m.tool_calls) &&
        m.tool_calls.some((c) => toolCallIdFor(c.id, quirks) !== c.id)),
  )
}

/** What the model is shown saying between its tool results and the user's next words (content, not empty: Mistral refuses an assistant turn without any). */
const BRIDGE_TURN: ChatMessage = { role: 'assistant', content: 'Understood.' }

/**
 * A user turn right after a tool result gets an assistant turn before it, for providers that refuse
 * that order. Agents send it whenever the user (or the client's own reminder text) speaks before the
 * model has answered its tool results; most providers take it, Mistral answers 400.
 */
function withAssistantAfterToolResults(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  if (!messages.some((message, i) => message.role === 'user' && messages[i - 1]?.role === 'tool'))
    return messages
  const bridged: ChatMessage[] = []
  for (const [i, message] of messages.entries()) {
    if (message.role === 'user' && messages[i - 1]?.role === 'tool') bridged.push(BRIDGE_TURN)
    bridged.push(message)
  }
  return bridged
}

/**
 * The canonical request as this provider accepts it. Quirks are data from the catalog, applied in one
 * order: model and streaming set, output tokens clamped, fields renamed, fields dropped and filtered, messages cleaned
 * (cache marks dropped, text-only part arrays joined, tool-call ids and turn order as the provider wants).
 * SmartSplit always streams upstream (non-streaming clients get the stream collected).
 */
export function toOpenAICompatibleRequest(call: {
  request: ChatRequest
  model: string
  quirks: ProviderQuirks
}): Record<string, unknown> {
  const { quirks } = call
  const { text_completion: _fim, ...request } = call.request
  const body: Record<string, unknown> = { ...request, model: call.model, stream: true }
  if (quirks.supportsStreamOptions === false) delete body.stream_options
  else body.stream_options = { include_usage: true }
  // Some clients send `stop: []` for "no stop sequences"; OpenAI's schema wants 1–4 and answers 400.
  if (Array.isArray(body.stop) && body.stop.length === 0) delete body.stop
  if (quirks.acceptsPromptCacheKey !== true) delete body.prompt_cache_key

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
  if (quirks.dropFields !== undefined) for (const field of quirks.dropFields) delete body[field]
  if (quirks.allowedFields !== undefined) {
    const allowed = new Set(quirks.allowedFields)
    for (const key of Object.keys(body)) if (!allowed.has(key)) delete body[key]
  }
  let messages: readonly ChatMessage[] = call.request.messages
  const tools = call.request.tools
  if (hasCacheControl(messages, tools)) {
    messages = messagesWithoutCacheControl(messages)
    if (tools !== undefined && body.tools !== undefined) body.tools = toolsWithoutCacheControl(tools)
  }
  messages = withTextPartsJoined(messages)
  if (needsIdRewrite(messages, quirks)) messages = withUpstreamToolCallIds(messages, quirks)
  if (quirks.assistantBetweenToolAndUser === true) messages = withAssistantAfterToolResults(messages)
  if (quirks.stripMessageFields !== undefined && quirks.stripMessageFields.length > 0) {
    body.messages = stripMessageFields(messages, quirks.stripMessageFields)
  } else if (messages !== call.request.messages) {
    body.messages = messages
  }
  return body
}

function stripMessageFields(messages: readonly ChatMessage[], fields: readonly string[]): unknown[] {
  return messages.map((message) => {
    const copy: Record<string, unknown> = { ...message }
    for (const field of fields) delete copy[field]
    return copy
  })
}
