import { UpstreamError } from '../../errors.js'
import { normalizeOpenAIUsage } from './normalize-openai-usage.js'
import type { ChatChunk, ChunkChoice, FinishReason } from './types.js'

// Providers bend the chunk format: Mistral adds finish reasons `model_length` and `error`, local servers
// omit `object` or `created`, some send `finish_reason: ""`. Clients validate strictly, so every chunk is
// made spec-valid here. A hand-written check, not zod: this runs once per token.

function mapFinishReason(value: unknown): FinishReason | null {
  switch (value) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
    case 'function_call':
      return value
    case 'model_length':
    case 'max_tokens':
      return 'length'
    case null:
    case undefined:
    case '':
      return null
    default:
      return 'stop'
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const MAX_TOOL_CALLS = 128

function malformed(provider: string, what: string): UpstreamError {
  return new UpstreamError(`${provider} sent a malformed chunk: ${what}`, { kind: 'malformed' })
}

/**
 * The delta fields clients read, checked: content and refusal are strings or null, and every tool-call
 * fragment has a small integer index (an index such as "__proto__" would otherwise reach Array.prototype
 * when fragments are joined) and string name/arguments.
 */
function checkDelta(delta: Record<string, unknown>, provider: string): Record<string, unknown> {
  for (const field of ['content', 'refusal', 'role'] as const) {
    const value = delta[field]
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw malformed(provider, `${field} is not a string`)
  }
  if (delta.tool_calls === undefined || delta.tool_calls === null) return delta
  if (!Array.isArray(delta.tool_calls)) throw malformed(provider, 'tool_calls is not an array')
  for (const fragment of delta.tool_calls) {
    if (!isRecord(fragment)) throw malformed(provider, 'a tool call fragment is not an object')
    const index = fragment.index ?? 0
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_TOOL_CALLS) {
      throw malformed(provider, 'a tool call index is not a small integer')
    }
    if (fragment.id !== undefined && fragment.id !== null && typeof fragment.id !== 'string')
      throw malformed(provider, 'a tool call id is not a string')
    const fn = fragment.function
    if (fn !== undefined && fn !== null) {
      if (!isRecord(fn)) throw malformed(provider, 'a tool call function is not an object')
      for (const key of ['name', 'arguments'] as const) {
        if (fn[key] !== undefined && fn[key] !== null && typeof fn[key] !== 'string')
          throw malformed(provider, `tool call ${key} is not a string`)
      }
    }
  }
  return delta
}

/** Upstream JSON (already parsed) → a spec-valid canonical chunk, or an UpstreamError. */
export function normalizeOpenAIChunk(data: unknown, provider: string): ChatChunk {
  if (!isRecord(data)) {
    throw new UpstreamError(`${provider} sent a stream event that is not a JSON object`, {
      kind: 'malformed',
    })
  }
  if (data.error !== undefined && data.error !== null) {
    const error = isRecord(data.error) ? data.error : { message: String(data.error) }
    const message = typeof error.message === 'string' ? error.message : JSON.stringify(error)
    const code = typeof error.code === 'number' ? error.code : Number(error.code)
    throw new UpstreamError(`${provider} failed mid-stream: ${message}`, {
      kind: code === 429 ? 'rate_limit' : 'overloaded',
      upstreamStatus: Number.isFinite(code) ? code : null,
    })
  }
  if (!Array.isArray(data.choices)) {
    throw new UpstreamError(`${provider} sent a chunk without "choices"`, { kind: 'malformed' })
  }
  const choices: ChunkChoice[] = []
  for (const raw of data.choices) {
    if (!isRecord(raw)) continue
    const delta = checkDelta(
      isRecord(raw.delta) ? raw.delta : isRecord(raw.message) ? raw.message : {},
      provider,
    )
    if (delta.finish_reason === 'error' || raw.finish_reason === 'error') {
      throw new UpstreamError(`${provider} ended the generation with an error`, { kind: 'overloaded' })
    }
    const choice: ChunkChoice = {
      index: typeof raw.index === 'number' ? raw.index : 0,
      delta: delta as ChunkChoice['delta'],
      finish_reason: mapFinishReason(raw.finish_reason),
    }
    if (raw.logprobs !== undefined) choice.logprobs = raw.logprobs
    choices.push(choice)
  }
  const chunk: ChatChunk = {
    ...data,
    id: typeof data.id === 'string' ? data.id : '',
    object: 'chat.completion.chunk',
    created: typeof data.created === 'number' ? Math.floor(data.created) : 0,
    model: typeof data.model === 'string' ? data.model : '',
    choices,
  }
  if (data.usage !== undefined && data.usage !== null)
    chunk.usage = isRecord(data.usage) ? normalizeOpenAIUsage(data.usage) : null
  return chunk
}
