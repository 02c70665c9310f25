import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { ChatChunk } from '../openai/types.js'
import { encodeSseEvent } from '../sse.js'
import { createAnthropicEventWriter } from './create-anthropic-event-writer.js'
import type { AnthropicSseEvent } from './types.js'

const chunk = (
  delta: ChatChunk['choices'][number]['delta'],
  finishReason: ChatChunk['choices'][number]['finish_reason'] = null,
): ChatChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
})

const types = (events: AnthropicSseEvent[]): string[] => events.map((e) => e.event)
const payloads = (events: AnthropicSseEvent[]): Record<string, unknown>[] =>
  events.map((e) => JSON.parse(e.data))

describe('createAnthropicEventWriter', () => {
  it('writes the exact SSE sequence for text and two tool calls (golden)', async () => {
    const chunks: ChatChunk[] = JSON.parse(
      await readFile(new URL('./__fixtures__/writer-tools.chunks.json', import.meta.url), 'utf8'),
    )
    const writer = createAnthropicEventWriter({ model: 'claude-sonnet-4-5', inputTokens: 200 })
    const events = [...chunks.flatMap((c) => writer.push(c)), ...writer.finish()]
    const wire = events.map((e) => encodeSseEvent(e.data, e.event)).join('')
    await expect(wire).toMatchFileSnapshot('./__fixtures__/writer-tools.sse.txt')
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    // Each event's data carries the same type as its event: line, as the SDK checks.
    for (const event of events) expect(JSON.parse(event.data).type).toBe(event.event)
    expect(payloads(events).at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 102,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 128,
        output_tokens: 41,
      },
    })
  })

  it('closes an open block and picks a stop reason when the upstream ended without finish_reason', () => {
    const writer = createAnthropicEventWriter()
    writer.push(chunk({ role: 'assistant', content: '' }))
    writer.push(chunk({ content: 'partial' }))
    const tail = writer.finish()
    expect(types(tail)).toEqual(['content_block_stop', 'message_delta', 'message_stop'])
    expect(payloads(tail)[1]).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 0 },
    })
    expect(writer.finish()).toEqual([])
  })

  it('still writes a whole message when no chunk came', () => {
    expect(types(createAnthropicEventWriter({ model: 'x' }).finish())).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ])
  })

  it('maps length to max_tokens and gives id-less tool calls a stable id', () => {
    const writer = createAnthropicEventWriter()
    const events = [
      ...writer.push(chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] })),
      ...writer.push(chunk({}, 'length')),
      ...writer.finish(),
    ]
    expect(payloads(events)[1]).toMatchObject({
      content_block: { type: 'tool_use', id: 'toolu_msg_1_0', name: 'f' },
    })
    expect(payloads(events).at(-2)).toMatchObject({ delta: { stop_reason: 'max_tokens' } })
  })
})
