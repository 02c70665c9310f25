import { UpstreamError } from '../../errors.js'
import { describeZodIssue } from '../anthropic/describe-zod-issue.js'
import type { ChatChunk, ChunkChoice, ChunkDelta, FinishReason, ToolCallDelta } from '../openai/types.js'
import type { SseEvent } from '../sse.js'
import { convertGeminiUsage } from './convert-gemini-usage.js'
import {
  type GeminiResponse,
  type GeminiResponsePart,
  type GeminiUsage,
  geminiResponseSchema,
} from './gemini-response-schema.js'
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js'
import { parseGeminiError } from './parse-gemini-error.js'
import { encodeToolCallId } from './tool-call-id.js'

export interface GeminiStreamTranslatorOptions {
  includeUsage: boolean
  /** How many candidates the request asked for (generationConfig.candidateCount, 1 unless said). */
  candidateCount: number
  /** Chunk id, creation time and model name shared by every chunk of this answer. */
  id: string
  created: number
  model: string
  /** Invents the id of each tool call (Gemini's calls usually have none); must not contain "__thought__". */
  newToolCallId: () => string
}

export interface GeminiStreamTranslator {
  /** One SSE event → the canonical chunks it implies (often one, sometimes none). Throws UpstreamError. */
  push(event: SseEvent): ChatChunk[]
  /** The socket ended (Gemini sends no [DONE]): the usage chunk, or an error if the answer was cut short. */
  finish(): ChatChunk[]
}

interface ChoiceState {
  toolCallCount: number
  finishReason: FinishReason | null
}

/** A tool-call delta that also carries the signature the way Google's own OpenAI endpoint does. */
type SignedToolCallDelta = ToolCallDelta & { extra_content?: { google: { thought_signature: string } } }

/**
 * Gemini SSE events → OpenAI chunks. Gemini sends whole parts, so each text part becomes one content
 * delta and each functionCall one complete tool call (id, name and all arguments in a single delta, its
 * thought signature encoded in the id: see tool-call-id.ts). Thought parts (`thought: true`, only sent when
 * thoughts are requested) are not the answer: they become `reasoning_content` deltas, the field
 * DeepSeek-style clients read, and never `content`.
 */
export function createGeminiStreamTranslator(options: GeminiStreamTranslatorOptions): GeminiStreamTranslator {
  const choices = new Map<number, ChoiceState>()
  let lastUsage: GeminiUsage | null = null

  const chunk = (choiceList: ChunkChoice[]): ChatChunk => ({
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
    choices: choiceList,
    ...(options.includeUsage ? { usage: null } : {}),
  })
  const deltaChunk = (
    index: number,
    delta: ChunkDelta,
    finishReason: FinishReason | null = null,
  ): ChatChunk => chunk([{ index, delta, finish_reason: finishReason }])

  function start(index: number, out: ChatChunk[]): ChoiceState {
    let state = choices.get(index)
    if (state === undefined) {
      state = { toolCallCount: 0, finishReason: null }
      choices.set(index, state)
      out.push(deltaChunk(index, { role: 'assistant', content: '' }))
    }
    return state
  }

  function translatePart(
    index: number,
    state: ChoiceState,
    part: GeminiResponsePart,
    out: ChatChunk[],
  ): void {
    if (part.functionCall !== undefined) {
      const baseId = options.newToolCallId()
      const call: SignedToolCallDelta = {
        index: state.toolCallCount++,
        id: encodeToolCallId(baseId, part.thoughtSignature),
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      }
      if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } }
      out.push(deltaChunk(index, { tool_calls: [call] }))
      return
    }
    // Empty text parts exist: Gemini 3 may send `{"text":"","thoughtSignature":…}` at the end.
    if (part.text === undefined || part.text === '') return
    out.push(
      deltaChunk(index, part.thought === true ? { reasoning_content: part.text } : { content: part.text }),
    )
  }

  function translate(response: GeminiResponse): ChatChunk[] {
    const out: ChatChunk[] = []
    if (response.usageMetadata) lastUsage = response.usageMetadata
    const candidates = response.candidates ?? []
    const blockReason = response.promptFeedback?.blockReason
    if (candidates.length === 0 && blockReason) {
      // The prompt itself was refused: no candidate will ever come.
      const state = start(0, out)
      state.finishReason = 'content_filter'
      out.push(deltaChunk(0, {}, 'content_filter'))
      return out
    }
    candidates.forEach((candidate, position) => {
      const index = candidate.index ?? position
      // Clients read choice 0 of a one-answer request: any other candidate would be an answer unseen.
      if (index >= options.candidateCount) {
        throw new UpstreamError(
          `Gemini sent candidate ${index} when ${options.candidateCount} candidate(s) were asked for`,
          { kind: 'malformed' },
        )
      }
      const state = start(index, out)
      if (state.finishReason !== null) return
      for (const part of candidate.content?.parts ?? []) translatePart(index, state, part, out)
      if (candidate.finishReason) {
        state.finishReason = mapGeminiFinishReason(candidate.finishReason, state.toolCallCount > 0)
        out.push(deltaChunk(index, {}, state.finishReason))
      }
    })
    return out
  }

  return {
    push(event) {
      const data = event.data.trim()
      if (data === '' || data === '[DONE]') return []
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch (cause) {
        throw new UpstreamError(`Gemini sent a stream event that is not JSON: ${data.slice(0, 200)}`, {
          kind: 'malformed',
          cause,
        })
      }
      if (json !== null && typeof json === 'object' && 'error' in json) {
        const code = (json.error as { code?: unknown } | null)?.code
        throw parseGeminiError(typeof code === 'number' ? code : 500, null, data)
      }
      const parsed = geminiResponseSchema.safeParse(json)
      if (!parsed.success) {
        // One line naming the field, not zod's whole issue list: this message can reach the client.
        const { param, message } = describeZodIssue(parsed.error.issues[0]!)
        const where = param === null ? '' : ` at ${param.slice(0, 80)}`
        throw new UpstreamError(`Gemini sent an unexpected stream event${where}: ${message.slice(0, 120)}`, {
          kind: 'malformed',
        })
      }
      return translate(parsed.data)
    },
    finish() {
      if (choices.size === 0) {
        throw new UpstreamError('Gemini closed the stream without sending an answer', { kind: 'malformed' })
      }
      if ([...choices.values()].some((state) => state.finishReason === null)) {
        // Every complete Gemini answer ends with a finishReason; without one the connection was cut.
        throw new UpstreamError('Gemini stream ended before its finishReason', { kind: 'network' })
      }
      if (!options.includeUsage || lastUsage === null) return []
      return [{ ...chunk([]), usage: convertGeminiUsage(lastUsage) }]
    },
  }
}
