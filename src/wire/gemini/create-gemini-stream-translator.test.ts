import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../../errors.js'
import type { ChatChunk } from '../openai/types.js'
import { readSseEvents } from '../sse.js'
import { expectGolden, fixtureUrl, readFixture } from './__fixtures__/expect-golden.js'
import { createGeminiStreamTranslator } from './create-gemini-stream-translator.js'
import { decodeToolCallId } from './tool-call-id.js'

function newTranslator(includeUsage = true, candidateCount = 1) {
  let next = 0
  return createGeminiStreamTranslator({
    includeUsage,
    candidateCount,
    id: 'chatcmpl-gemini-1',
    created: 1_767_225_600,
    model: 'gemini-test',
    newToolCallId: () => `call_${++next}`,
  })
}

async function translateFixture(name: string, includeUsage = true): Promise<ChatChunk[]> {
  const translator = newTranslator(includeUsage)
  const chunks: ChatChunk[] = []
  // Fed in small pieces, as a socket would deliver it, to exercise \r\n framing across reads.
  const text = readFixture(name)
  async function* pieces() {
    yield* text.match(/[\s\S]{1,37}/g) ?? []
  }
  for await (const event of readSseEvents(pieces())) chunks.push(...translator.push(event))
  chunks.push(...translator.finish())
  return chunks
}

describe('createGeminiStreamTranslator', () => {
  it("names the field of an unexpected event in one line, not zod's issue list", () => {
    const event = { event: undefined, data: JSON.stringify({ candidates: [{ content: { parts: 'text' } }] }) }
    let error: unknown
    try {
      newTranslator().push(event)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UpstreamError)
    const message = (error as UpstreamError).message
    expect(message).toMatch(/^Gemini sent an unexpected stream event at candidates\.0\.content\.parts: /)
    expect(message).not.toContain('\n')
    expect(message).not.toContain('"code"')
  })
  for (const name of [
    'text',
    'function-call',
    'parallel-function-calls',
    'thoughts',
    'max-tokens',
    'safety',
    'prompt-blocked',
  ]) {
    it(`translates ${name}.sse.txt like its golden`, async () => {
      expectGolden(fixtureUrl(`${name}.expected.json`), await translateFixture(`${name}.sse.txt`))
    })
  }

  it('concatenates text deltas into the whole answer and reports usage once, at the end', async () => {
    const chunks = await translateFixture('text.sse.txt')
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(
      'The sky looks blue because air molecules scatter short blue wavelengths more than red ones (Rayleigh scattering).',
    )
    const usageChunks = chunks.filter((c) => c.usage)
    expect(usageChunks).toHaveLength(1)
    expect(usageChunks[0]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 7,
        completion_tokens: 69,
        total_tokens: 76,
        completion_tokens_details: { reasoning_tokens: 48 },
      },
    })
  })

  it('marks a STOP that carried function calls as tool_calls, and keeps each signature in its id', async () => {
    const chunks = await translateFixture('parallel-function-calls.sse.txt')
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    expect(calls.map((c) => c.index)).toEqual([0, 1])
    expect(calls.map((c) => c.function?.arguments)).toEqual(['{"city":"Paris"}', '{"city":"London"}'])
    const ids = calls.map((c) => decodeToolCallId(c.id ?? ''))
    expect(ids[0]?.thoughtSignature).toMatch(/^yPyqeUJne2g/)
    expect(ids[1]).toEqual({ baseId: 'call_2', thoughtSignature: null })
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls')
  })

  it('never puts thought text into content', async () => {
    const chunks = await translateFixture('thoughts.sse.txt')
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('2 + 2 = 4')
    expect(chunks.some((c) => typeof c.choices[0]?.delta.reasoning_content === 'string')).toBe(true)
  })

  it('omits usage when the client did not ask for it', async () => {
    const chunks = await translateFixture('text.sse.txt', false)
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true)
  })

  it('throws the error object Gemini sends after the 200 as an UpstreamError', async () => {
    const error = await translateFixture('stream-error.sse.txt').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error).toMatchObject({ kind: 'overloaded', upstreamStatus: 503, retryable: true })
  })

  it('treats a socket that closes before the finishReason as a broken stream', () => {
    const translator = newTranslator()
    translator.push({
      event: undefined,
      data: '{"candidates":[{"content":{"parts":[{"text":"Hal"}],"role":"model"},"index":0}]}',
    })
    expect(() => translator.finish()).toThrow(expect.objectContaining({ kind: 'network' }))
  })

  it('treats an empty stream and a non-JSON event as malformed', () => {
    expect(() => newTranslator().finish()).toThrow(expect.objectContaining({ kind: 'malformed' }))
    expect(() => newTranslator().push({ event: undefined, data: '<html>' })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    )
  })

  it('refuses a candidate that was not asked for, instead of an answer the client cannot see', () => {
    const data = JSON.stringify({
      candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'STOP', index: 7 }],
    })
    expect(() => newTranslator().push({ event: undefined, data })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    )
    expect(() => newTranslator(true, 8).push({ event: undefined, data })).not.toThrow()
  })

  it('keeps candidates apart when n > 1', () => {
    const translator = newTranslator(false, 2)
    const chunks = translator.push({
      event: undefined,
      data: JSON.stringify({
        candidates: [
          { content: { parts: [{ text: 'A' }], role: 'model' }, finishReason: 'STOP', index: 0 },
          { content: { parts: [{ text: 'B' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 1 },
        ],
      }),
    })
    expect(
      chunks.map((c) => [c.choices[0]?.index, c.choices[0]?.delta.content, c.choices[0]?.finish_reason]),
    ).toEqual([
      [0, '', null],
      [0, 'A', null],
      [0, undefined, 'stop'],
      [1, '', null],
      [1, 'B', null],
      [1, undefined, 'length'],
    ])
  })
})
