import { describe, expect, it } from 'vitest'
import type { ChatChunk } from '../openai/types.js'
import { createGeminiStreamTranslator } from './create-gemini-stream-translator.js'
import { geminiJsonToEvents } from './gemini-json-to-events.js'

function translate(json: unknown): ChatChunk[] {
  const translator = createGeminiStreamTranslator({
    includeUsage: true,
    candidateCount: 1,
    id: 'chatcmpl-1',
    created: 7,
    model: 'gemini-2.5-flash',
    newToolCallId: () => 'call_1',
  })
  const chunks = geminiJsonToEvents(json).flatMap((event) => translator.push(event))
  return [...chunks, ...translator.finish()]
}

const part = (text: string, finishReason?: string) => ({
  candidates: [
    { content: { role: 'model', parts: [{ text }] }, index: 0, ...(finishReason ? { finishReason } : {}) },
  ],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
})

const textOf = (chunks: ChatChunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')

describe('geminiJsonToEvents', () => {
  it('reads the JSON array streamGenerateContent sends without alt=sse, and a single response', () => {
    const chunks = translate([part('Hello'), part(' there.', 'STOP')])
    expect(textOf(chunks)).toBe('Hello there.')
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2 })
    expect(textOf(translate(part('Whole.', 'STOP')))).toBe('Whole.')
  })

  it('fails an error object as an error, even inside the array, never as an answer', () => {
    const error = { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }
    expect(() => translate(error)).toThrow(expect.objectContaining({ kind: 'overloaded' }))
    expect(() => translate([part('Hel'), error])).toThrow(expect.objectContaining({ kind: 'overloaded' }))
  })

  it('refuses what is no answer as malformed', () => {
    for (const body of [[], null, 'text', [{ candidates: 'none' }]]) {
      expect(() => translate(body)).toThrow(expect.objectContaining({ kind: 'malformed' }))
    }
  })
})
