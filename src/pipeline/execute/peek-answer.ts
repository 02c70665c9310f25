import { UpstreamError } from '../../errors.js'
import type { Clock } from '../../lib/clock.js'
import { chunkHasSubstance } from '../../wire/openai/chunk-has-substance.js'
import type { ChatChunk, FinishReason } from '../../wire/openai/types.js'
import { couldBecomeRefusal } from './quality-gate.js'
import { holdLimitMs, shouldReleaseHeldChunks } from './quality-gate-hold-back.js'

export interface PeekedAnswer {
  /** Chunks held back so far, in order. */
  head: ChatChunk[]
  rest: AsyncIterator<ChatChunk>
  /** Text of choice 0 in the head, for the quality gate. */
  text: string
  sawToolCall: boolean
  finishReason: FinishReason | null
}

const TIMED_OUT = Symbol('timed out')

/**
 * The end of the hold, as one timer for the whole hold rather than one per chunk read (a provider
 * streaming a token per chunk sends dozens before the gate has its 200 characters). A new timer only
 * when the limit changes, which happens once at most (an opening that can no longer be a refusal).
 */
class HoldDeadline {
  #limitMs: number | null = null
  #timer: NodeJS.Timeout | undefined
  #reached: Promise<typeof TIMED_OUT> | null = null

  at(limitMs: number, leftMs: number): Promise<typeof TIMED_OUT> {
    if (this.#reached !== null && this.#limitMs === limitMs) return this.#reached
    this.clear()
    this.#limitMs = limitMs
    this.#reached = new Promise<typeof TIMED_OUT>((resolve) => {
      this.#timer = setTimeout(() => resolve(TIMED_OUT), leftMs)
    })
    return this.#reached
  }

  clear(): void {
    clearTimeout(this.#timer)
    this.#reached = null
  }
}

/**
 * Reads the opening of an answer before committing to it: at least the first chunk with substance (a
 * bare role chunk commits nothing), and with `holdForGate` until the quality gate has enough to judge —
 * 200 characters, a tool call, the end, or the hold limit (500 ms while the opening could still be a
 * refusal, 200 ms once it cannot). Everything read is returned, nothing is lost.
 */
export async function peekAnswer(
  chunks: AsyncIterable<ChatChunk>,
  clock: Clock,
  holdForGate: boolean,
  provider: string,
): Promise<PeekedAnswer> {
  const source = chunks[Symbol.asyncIterator]()
  // A read still in flight when the hold-back time runs out is handed to whoever reads next.
  let inFlight: Promise<IteratorResult<ChatChunk>> | null = null
  const rest: AsyncIterator<ChatChunk> = {
    next: () => {
      const pending = inFlight
      inFlight = null
      return pending ?? source.next()
    },
    return: async (value?: unknown) => (await source.return?.(value)) ?? { done: true, value: undefined },
  }
  const peeked: PeekedAnswer = { head: [], rest, text: '', sawToolCall: false, finishReason: null }
  const deadline = new HoldDeadline()
  try {
    return await readOpening(source, peeked, { clock, holdForGate, provider, deadline }, (read) => {
      inFlight = read
    })
  } finally {
    deadline.clear()
  }
}

async function readOpening(
  source: AsyncIterator<ChatChunk>,
  peeked: PeekedAnswer,
  hold: { clock: Clock; holdForGate: boolean; provider: string; deadline: HoldDeadline },
  handOver: (read: Promise<IteratorResult<ChatChunk>>) => void,
): Promise<PeekedAnswer> {
  const { clock, holdForGate, provider, deadline } = hold
  let substanceAtMs: number | null = null
  let mayBeRefusal = true
  while (true) {
    let next: IteratorResult<ChatChunk>
    if (holdForGate && substanceAtMs !== null) {
      const read = source.next()
      const limitMs = holdLimitMs(mayBeRefusal)
      const leftMs = Math.max(0, limitMs - (clock.nowMs() - substanceAtMs))
      const settled = await Promise.race([read, deadline.at(limitMs, leftMs)])
      if (settled === TIMED_OUT) {
        handOver(read)
        return peeked
      }
      next = settled
    } else {
      next = await source.next()
    }
    if (next.done) {
      if (substanceAtMs === null) {
        throw new UpstreamError(`${provider} ended the stream without an answer`, { kind: 'malformed' })
      }
      return peeked
    }
    const chunk = next.value
    peeked.head.push(chunk)
    const choice = chunk.choices[0]
    if (choice !== undefined) {
      if (typeof choice.delta.content === 'string') peeked.text += choice.delta.content
      if (choice.delta.tool_calls !== undefined && choice.delta.tool_calls.length > 0)
        peeked.sawToolCall = true
      if (choice.finish_reason !== null) peeked.finishReason = choice.finish_reason
    }
    if (substanceAtMs === null && chunkHasSubstance(chunk)) substanceAtMs = clock.nowMs()
    if (substanceAtMs === null) continue
    if (!holdForGate) return peeked
    // Once an opening cannot be a refusal it stays so: more text never makes one.
    if (mayBeRefusal) mayBeRefusal = couldBecomeRefusal(peeked.text)
    const release = shouldReleaseHeldChunks({
      heldChars: peeked.text.length,
      heldMs: clock.nowMs() - substanceAtMs,
      sawToolCall: peeked.sawToolCall,
      finished: peeked.finishReason !== null,
      couldBecomeRefusal: mayBeRefusal,
    })
    if (release) return peeked
  }
}
