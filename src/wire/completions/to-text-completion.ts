import type { ChatChunk, ChatCompletion } from '../openai/types.js'
import { type TextCompletion, toTextFinishReason } from './types.js'

/** Legacy completions are `cmpl-` ids, chat completions `chatcmpl-` ones. */
const completionId = (id: string): string => (id.startsWith('chatcmpl-') ? id.slice(4) : id)

/**
 * A canonical chunk as a streamed `text_completion` (the same shape as the whole answer), or null for a
 * chunk that says nothing a completion client reads (a role announcement, an empty delta).
 */
export function toTextCompletionChunk(chunk: ChatChunk): TextCompletion | null {
  const base = {
    id: completionId(chunk.id),
    object: 'text_completion' as const,
    created: chunk.created,
    model: chunk.model,
  }
  const usage = chunk.usage ? { usage: chunk.usage } : {}
  if (chunk.choices.length === 0) return chunk.usage ? { ...base, choices: [], ...usage } : null
  const choice = chunk.choices[0]!
  const text = typeof choice.delta.content === 'string' ? choice.delta.content : ''
  const finish = toTextFinishReason(choice.finish_reason)
  if (text === '' && finish === null && !chunk.usage) return null
  // Some upstreams (Mistral) report usage on the finishing chunk rather than on a chunk of its own.
  return { ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }], ...usage }
}

/** A collected answer as one `text_completion`. */
export function completionToTextCompletion(completion: ChatCompletion): TextCompletion {
  const choice = completion.choices[0]
  const result: TextCompletion = {
    id: completionId(completion.id),
    object: 'text_completion',
    created: completion.created,
    model: completion.model,
    choices: [
      {
        text: choice?.message.content ?? '',
        index: 0,
        logprobs: null,
        finish_reason: toTextFinishReason(choice?.finish_reason ?? 'stop') ?? 'stop',
      },
    ],
  }
  if (completion.usage !== undefined) result.usage = completion.usage
  if (completion.system_fingerprint !== undefined) result.system_fingerprint = completion.system_fingerprint
  return result
}
