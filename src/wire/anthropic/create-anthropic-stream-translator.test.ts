import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../../errors.js'
import type { ChatChunk } from '../openai/types.js'
import { readSseEvents, type SseEvent } from '../sse.js'
import { createAnthropicStreamTranslator } from './create-anthropic-stream-translator.js'

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items
}

const fixture = (name: string): URL => new URL(`./__fixtures__/${name}`, import.meta.url)
const CREATED = 1_700_000_000

/** Replays a captured stream in awkward 7-byte pieces, as a slow socket would deliver it. */
async function replay(name: string): Promise<{ chunks: ChatChunk[]; error: UpstreamError | null }> {
  const bytes = await readFile(fixture(`${name}.sse.txt`))
  const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
    bytes.subarray(i * 7, i * 7 + 7),
  )
  const translator = createAnthropicStreamTranslator({ includeUsage: true, created: CREATED })
  const chunks: ChatChunk[] = []
  try {
    for await (const event of readSseEvents(asAsync(pieces))) chunks.push(...translator.push(event))
    chunks.push(...translator.finish())
    return { chunks, error: null }
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error
    return { chunks, error }
  }
}

function toolCallsOf(chunks: ChatChunk[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = []
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      if (delta.id !== undefined)
        calls[delta.index] = { id: delta.id, name: delta.function?.name ?? '', arguments: '' }
      const call = calls[delta.index]!
      call.arguments += delta.function?.arguments ?? ''
    }
  }
  return calls
}

describe('createAnthropicStreamTranslator: golden fixtures', () => {
  for (const name of [
    'text',
    'parallel-tools',
    'text-and-tool',
    'max-tokens',
    'refusal',
    'error-midstream',
    'cache-usage',
  ]) {
    it(`replays ${name}.sse.txt`, async () => {
      const { chunks, error } = await replay(name)
      const expected = { chunks, error: error && { kind: error.kind, message: error.message } }
      await expect(`${JSON.stringify(expected, null, 2)}\n`).toMatchFileSnapshot(
        `./__fixtures__/${name}.chunks.json`,
      )
    })
  }

  it('streams plain text with a role chunk first and a usage chunk last', async () => {
    const { chunks } = await replay('text')
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' })
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'Bonjour ! Voilà une réponse 🌍\nsur deux lignes.',
    )
    expect(chunks.every((c) => c.id === 'msg_01XFDUDYJgAACzvnptvVoYEL' && c.created === CREATED)).toBe(true)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 21, completion_tokens: 14 } })
  })

  it('numbers parallel tool calls by ordinal, skipping the thinking block, with exact arguments', async () => {
    const { chunks } = await replay('parallel-tools')
    const calls = toolCallsOf(chunks)
    expect(calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"city": "\\u00cele-de-France", "unit": "c"}',
      },
      {
        id: 'toolu_01B7xKz3nQpR2sT4uVwX5yZa',
        name: 'search_docs',
        arguments: '{"query": "say \\"hi\\" \\\\ bye", "limit": 10}',
      },
      { id: 'toolu_01C4mN8bV6cX2zL9kJ7hG5fD', name: 'list_files', arguments: '{}' },
    ])
    expect(JSON.parse(calls[0]!.arguments)).toEqual({ city: 'Île-de-France', unit: 'c' })
    expect(JSON.parse(calls[1]!.arguments)).toEqual({ query: 'say "hi" \\ bye', limit: 10 })
    const reasoning = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('')
    expect(reasoning).toBe('Three independent lookups; run them in parallel.')
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true)
  })

  it('gives the first tool call index 0 even when a text block precedes it', async () => {
    const { chunks } = await replay('text-and-tool')
    expect(toolCallsOf(chunks)).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
      },
    ])
  })

  it('maps max_tokens to length and refusal to content_filter with the explanation', async () => {
    expect((await replay('max-tokens')).chunks.at(-2)?.choices[0]?.finish_reason).toBe('length')
    const { chunks } = await replay('refusal')
    expect(chunks.some((c) => c.choices[0]?.delta.refusal?.includes('Usage Policy'))).toBe(true)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('content_filter')
  })

  it('throws an overloaded UpstreamError on a mid-stream error event, after the text so far', async () => {
    const { chunks, error } = await replay('error-midstream')
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('The first part of')
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true })
    expect(error?.message).toContain('overloaded_error')
  })

  it('counts cache reads and writes as prompt tokens', async () => {
    const { chunks } = await replay('cache-usage')
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 12 + 248 + 18432,
      completion_tokens: 4,
      total_tokens: 12 + 248 + 18432 + 4,
      prompt_tokens_details: { cached_tokens: 18432, cache_write_tokens: 248 },
    })
  })
})

describe('createAnthropicStreamTranslator: edge cases', () => {
  const start: SseEvent = {
    event: 'message_start',
    data: JSON.stringify({
      type: 'message_start',
      message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 3 } },
    }),
  }
  const ev = (payload: Record<string, unknown>): SseEvent => ({
    event: String(payload.type),
    data: JSON.stringify(payload),
  })

  it('omits the usage chunk unless asked', () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
    translator.push(start)
    translator.push(
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }),
    )
    expect(translator.push(ev({ type: 'message_stop' }))).toEqual([])
  })

  it('ignores unknown events and server tool blocks', () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
    translator.push(start)
    expect(translator.push(ev({ type: 'future_event', stuff: 1 }))).toEqual([])
    expect(
      translator.push(
        ev({
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} },
        }),
      ),
    ).toEqual([])
    expect(
      translator.push(
        ev({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{"q":1}' },
        }),
      ),
    ).toEqual([])
  })

  it('maps each error type to its failure kind', () => {
    const kinds: Record<string, string> = {
      overloaded_error: 'overloaded',
      rate_limit_error: 'rate_limit',
      api_error: 'overloaded',
      invalid_request_error: 'bad_request',
      authentication_error: 'auth',
      billing_error: 'billing',
    }
    for (const [type, kind] of Object.entries(kinds)) {
      const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
      translator.push(start)
      expect(() => translator.push(ev({ type: 'error', error: { type, message: 'x' } }))).toThrow(
        expect.objectContaining({ kind }),
      )
    }
  })

  it('reports a stream cut before message_stop, and malformed JSON', () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
    translator.push(start)
    expect(() => translator.finish()).toThrow(expect.objectContaining({ kind: 'network' }))
    expect(() => translator.push({ event: 'content_block_delta', data: '{"type":' })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    )
    const early = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
    expect(() => early.push(ev({ type: 'message_stop' }))).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    )
  })

  it('closes an answer whose stop reason came but whose message_stop did not (nothing was lost)', () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: true, created: 1 })
    translator.push(start)
    translator.push(ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }))
    translator.push(ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'all' } }))
    translator.push(ev({ type: 'content_block_stop', index: 0 }))
    const finishing = translator.push(
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }),
    )
    expect(finishing.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    const closing = translator.finish()
    expect(closing).toHaveLength(1)
    expect(closing[0]).toMatchObject({ choices: [], usage: { completion_tokens: 3 } })
  })

  it('refuses a delta or a stop for a block that never started, instead of losing its text', () => {
    for (const orphan of [
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lost' } }),
      ev({ type: 'content_block_stop', index: 3 }),
    ]) {
      const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
      translator.push(start)
      expect(() => translator.push(orphan)).toThrow(expect.objectContaining({ kind: 'malformed' }))
    }
  })

  it('sends a tool input given whole at block start when no deltas follow', () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: false, created: 1 })
    translator.push(start)
    translator.push(
      ev({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'n', input: { a: 1 } },
      }),
    )
    const [chunk] = translator.push(ev({ type: 'content_block_stop', index: 0 }))
    expect(chunk?.choices[0]?.delta.tool_calls).toEqual([{ index: 0, function: { arguments: '{"a":1}' } }])
  })
})
