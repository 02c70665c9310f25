import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { ChatChunk, ChatMessage, ChatRequest, ToolCall } from '../openai/types.js'
import { encodeSseEvent, readSseEvents } from '../sse.js'
import { createAnthropicEventWriter } from './create-anthropic-event-writer.js'
import { createAnthropicStreamTranslator } from './create-anthropic-stream-translator.js'
import { fromAnthropicRequest } from './from-anthropic-request.js'
import { toAnthropicRequest } from './to-anthropic-request.js'

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items
}

function toolCallsIn(messages: ChatMessage[]): ToolCall[] {
  return messages.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []) : []))
}

function toolResultsIn(messages: ChatMessage[]): { id: string; content: unknown }[] {
  return messages.flatMap((message) =>
    message.role === 'tool' ? [{ id: message.tool_call_id, content: message.content }] : [],
  )
}

/** Rebuilds whole tool calls, text and finish reason from streamed chunks, as an OpenAI client would. */
function collect(chunks: ChatChunk[]) {
  const calls: { id: string; name: string; arguments: string }[] = []
  let text = ''
  let finishReason: string | null = null
  for (const chunk of chunks) {
    const choice = chunk.choices[0]
    text += choice?.delta.content ?? ''
    finishReason = choice?.finish_reason ?? finishReason
    for (const delta of choice?.delta.tool_calls ?? []) {
      if (delta.id !== undefined)
        calls[delta.index] = { id: delta.id, name: delta.function?.name ?? '', arguments: '' }
      calls[delta.index]!.arguments += delta.function?.arguments ?? ''
    }
  }
  return { calls, text, finishReason, usage: chunks.at(-1)?.usage }
}

describe('round trips', () => {
  it('OpenAI request → Anthropic request → OpenAI request keeps every tool call and result', () => {
    const original: ChatRequest = {
      model: 'auto',
      messages: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'Compare Paris and Tokyo.' },
        {
          role: 'assistant',
          content: 'Looking up both.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris","days":[1,2]}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"東京","note":"say \\"hi\\""}' },
            },
            { id: 'toolu_3', type: 'function', function: { name: 'now', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18 °C' },
        { role: 'tool', tool_call_id: 'call_2', content: '25 °C' },
        { role: 'tool', tool_call_id: 'toolu_3', content: '12:00' },
        { role: 'assistant', content: 'Tokyo is warmer.' },
        { role: 'user', content: 'Thanks' },
      ],
    }
    const anthropic = toAnthropicRequest(original, { model: 'claude-x', defaultMaxTokens: 1000 })
    const back = fromAnthropicRequest(anthropic)
    expect(toolCallsIn(back.messages)).toEqual(toolCallsIn(original.messages))
    expect(toolResultsIn(back.messages)).toEqual(toolResultsIn(original.messages))
    expect(back.messages).toEqual(original.messages)
  })

  it('canonical chunks → Anthropic SSE bytes → canonical chunks keeps tool calls, text, finish and usage', async () => {
    const fixture: ChatChunk[] = JSON.parse(
      await readFile(new URL('./__fixtures__/writer-tools.chunks.json', import.meta.url), 'utf8'),
    )
    const interleavedNoIds: ChatChunk[] = [
      { ...fixture[0]!, choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] },
      {
        ...fixture[0]!,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                { index: 0, id: 'call_x', type: 'function', function: { name: 'a', arguments: '{"k":' } },
                { index: 1, id: 'call_y', type: 'function', function: { name: 'b', arguments: '' } },
              ],
            },
            finish_reason: null,
          },
        ],
      },
      {
        ...fixture[0]!,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, function: { arguments: '{"z":true}' } }] },
            finish_reason: null,
          },
        ],
      },
      {
        ...fixture[0]!,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: '"v"}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
      },
    ]
    for (const chunks of [fixture, interleavedNoIds]) {
      const writer = createAnthropicEventWriter({ model: 'claude-x' })
      const events = [...chunks.flatMap((chunk) => writer.push(chunk)), ...writer.finish()]
      const bytes = events.map((event) => encodeSseEvent(event.data, event.event)).join('')
      const translator = createAnthropicStreamTranslator({ includeUsage: true, created: 1 })
      const replayed: ChatChunk[] = []
      for await (const event of readSseEvents(asAsync([bytes]))) replayed.push(...translator.push(event))
      replayed.push(...translator.finish())
      const before = collect(chunks)
      const after = collect(replayed)
      expect(after.calls).toEqual(before.calls)
      expect(after.text).toBe(before.text)
      expect(after.finishReason).toBe(before.finishReason)
      if (before.usage) expect(after.usage).toEqual(before.usage)
    }
  })
})
