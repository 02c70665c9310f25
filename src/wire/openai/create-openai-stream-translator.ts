import { UpstreamError } from '../../errors.js'
import type { SseEvent } from '../sse.js'
import { normalizeOpenAIChunk } from './normalize-openai-chunk.js'
import type { ChatChunk } from './types.js'

/** An OpenAI-compatible stream's events → canonical chunks, one event at a time. */
export interface OpenAIStreamTranslator {
  /** The chunk this event carries (none for `[DONE]`, blank data, or anything after `[DONE]`). */
  push(event: SseEvent): readonly ChatChunk[]
  finish(): readonly ChatChunk[]
}

const NONE: readonly ChatChunk[] = []

export function createOpenAIStreamTranslator(provider: string): OpenAIStreamTranslator {
  let isDone = false
  let hasFinished = false
  return {
    push(event) {
      // After [DONE] the body is still read to its natural end (not destroyed), so the connection is reused.
      if (isDone) return NONE
      const data = event.data.trim()
      if (data === '[DONE]') {
        isDone = true
        return NONE
      }
      if (data === '') return NONE
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        throw new UpstreamError(`${provider} sent a stream event that is not JSON`, { kind: 'malformed' })
      }
      const chunk = normalizeOpenAIChunk(json, provider)
      if (!hasFinished) hasFinished = chunk.choices.some((choice) => choice.finish_reason !== null)
      return [chunk]
    },
    finish() {
      // A clean close with neither a finish_reason nor [DONE] is a cut answer (a proxy timing out), not
      // a complete one: fall back before the first token, or end the client's stream with an error after.
      if (!isDone && !hasFinished)
        throw new UpstreamError(`${provider} closed the stream mid-answer (no finish_reason, no [DONE])`, {
          kind: 'network',
        })
      return NONE
    },
  }
}
