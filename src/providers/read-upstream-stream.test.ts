import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UpstreamError } from '../errors.js'
import { chunkHasSubstance } from '../wire/openai/chunk-has-substance.js'
import type { ChatChunk } from '../wire/openai/types.js'
import type { SseEvent } from '../wire/sse.js'
import { type EventTranslator, readUpstreamStream, type UpstreamBody } from './read-upstream-stream.js'
import { DEFAULT_UPSTREAM_READ_LIMITS } from './upstream-read-limits.js'

const IDLE_MS = 1_000

/** A body that sends `head`, then `frame` every 100 ms until destroyed, as a hostile upstream would. */
function endlessBody(head: string, frame: string): UpstreamBody & { isDestroyed(): boolean } {
  let destroyedWith: Error | null = null
  let isDestroyed = false
  let sentHead = false
  return {
    get destroyed() {
      return isDestroyed
    },
    isDestroyed: () => isDestroyed,
    destroy(error?: Error) {
      isDestroyed = true
      destroyedWith = error ?? null
    },
    async *[Symbol.asyncIterator]() {
      while (!isDestroyed) {
        if (sentHead) await new Promise((resolve) => setTimeout(resolve, 100))
        if (destroyedWith !== null) throw destroyedWith
        if (isDestroyed) return
        yield new TextEncoder().encode(sentHead ? frame : head)
        sentHead = true
      }
    },
  }
}

const chunk = (delta: ChatChunk['choices'][number]['delta']): ChatChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: null }],
})

/** Each event's data is the content of one chunk; "-" is a bare role chunk, "ping" nothing at all. */
const translator: EventTranslator<ChatChunk> = {
  push: (event: SseEvent) => {
    if (event.data === 'ping') return []
    return [event.data === '-' ? chunk({ role: 'assistant' }) : chunk({ content: event.data })]
  },
  finish: () => [],
}

async function readAll(body: UpstreamBody): Promise<{ contents: string[]; error: unknown }> {
  const contents: string[] = []
  const options = {
    provider: 'p',
    idleMs: IDLE_MS,
    limits: DEFAULT_UPSTREAM_READ_LIMITS,
    isProgress: chunkHasSubstance,
  }
  try {
    for await (const item of readUpstreamStream(body, options, translator))
      contents.push(String(item.choices[0]?.delta.content ?? '-'))
    return { contents, error: null }
  } catch (error) {
    return { contents, error }
  }
}

describe('readUpstreamStream idle timeout', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each([
    ['events that translate to nothing (Anthropic pings)', 'data: ping\n\n'],
    ['chunks without substance (bare role chunks)', 'data: -\n\n'],
    ['comments', ': keep-alive\n\n'],
  ])('fails as a timeout when content is followed by %s forever', async (_, frame) => {
    const body = endlessBody('data: partial\n\n', frame)
    let result: Awaited<ReturnType<typeof readAll>> | null = null
    void readAll(body).then((settled) => {
      result = settled
    })
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3)
    body.destroy()
    await vi.advanceTimersByTimeAsync(200)
    expect(result, 'ended by the idle timeout').not.toBeNull()
    const { contents, error } = result!
    expect(contents).toContain('partial')
    expect(error).toBeInstanceOf(UpstreamError)
    expect((error as UpstreamError).kind).toBe('timeout')
    expect(body.isDestroyed()).toBe(true)
  })

  it('keeps reading while content keeps coming', async () => {
    const body = endlessBody('data: partial\n\n', 'data: more\n\n')
    const read = readAll(body)
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3)
    expect(body.isDestroyed()).toBe(false)
    body.destroy()
    await vi.advanceTimersByTimeAsync(200)
    const { contents } = await read
    expect(contents.length).toBeGreaterThan(20)
  })
})
