import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../errors.js'
import { CompletionCollector } from './collect.js'
import type { ChatChunk } from './openai/types.js'

const chunk = (delta: ChatChunk['choices'][number]['delta']): ChatChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: null }],
})

describe('CompletionCollector', () => {
  it('collects up to its limit', () => {
    const collector = new CompletionCollector(10)
    collector.push(chunk({ content: 'hello' }))
    collector.push(chunk({ content: 'world' }))
    expect(collector.result().choices[0]!.message.content).toBe('helloworld')
  })

  it.each([
    ['content', { content: 'x'.repeat(6) }],
    ['tool-call arguments', { tool_calls: [{ index: 0, function: { arguments: 'y'.repeat(6) } }] }],
    ['reasoning', { reasoning_content: 'z'.repeat(6) }],
    ['a refusal', { refusal: 'n'.repeat(6) }],
  ] as const)('refuses %s past its limit as a malformed answer, not an internal error', (_, delta) => {
    const collector = new CompletionCollector(10)
    collector.push(chunk(delta as ChatChunk['choices'][number]['delta']))
    let thrown: unknown
    try {
      collector.push(chunk(delta as ChatChunk['choices'][number]['delta']))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UpstreamError)
    expect((thrown as UpstreamError).kind).toBe('malformed')
  })
})

describe('CompletionCollector, given delta fields named like inherited properties', () => {
  it('keeps them as the upstream sent them', () => {
    const collector = new CompletionCollector()
    collector.push(chunk({ constructor: 'a', toString: 'b' } as ChatChunk['choices'][number]['delta']))
    collector.push(chunk({ constructor: 'c' } as ChatChunk['choices'][number]['delta']))
    const message = collector.result().choices[0]!.message as unknown as Record<string, unknown>
    expect(Object.hasOwn(message, 'constructor') && message.constructor).toBe('ac')
    expect(Object.hasOwn(message, 'toString') && message.toString).toBe('b')
  })
})
