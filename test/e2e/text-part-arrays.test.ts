import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// Agents send system, assistant and tool turns as arrays of text parts (Qwen Code's tool results,
// `content: []` beside tool calls), which the OpenAI spec allows and Groq refuses with a 400. The fake
// Groq is as strict as the real one; SmartSplit joins the text, and keeps user turns' parts.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const conversation: OpenAI.ChatCompletionMessageParam[] = [
  {
    role: 'system',
    content: [
      { type: 'text', text: 'You are a coding agent.' },
      { type: 'text', text: 'Be brief.' },
    ],
  },
  { role: 'user', content: [{ type: 'text', text: 'List the files.' }] },
  {
    role: 'assistant',
    content: [],
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
  },
  {
    role: 'tool',
    tool_call_id: 'call_1',
    content: [
      { type: 'text', text: 'a.txt' },
      { type: 'text', text: 'b.txt' },
    ],
  },
]

describe.each([false, true])(
  'text-part arrays outside user turns, to a Groq-strict upstream (stream: %s)',
  (stream) => {
    it('are joined into strings, the user turn keeps its parts, and the answer comes back', async () => {
      const groq = await startFakeOpenAI({
        apiKey: 'gsk_text_parts_0000001',
        stringContentOnly: true,
        behavior: { kind: 'text', text: 'Two files: a.txt and b.txt.' },
      })
      const smartsplit = await startSmartSplit({
        free_llm_priority: ['groq'],
        providers: { groq: { base_url: groq.url, api_key: 'gsk_text_parts_0000001' } },
      })
      running.push(smartsplit, groq)
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
      const tools: OpenAI.ChatCompletionTool[] = [
        { type: 'function', function: { name: 'ls', parameters: { type: 'object', properties: {} } } },
      ]
      const answer = await ask(client, { messages: conversation, tools }, stream)
      expect(answer.status).toBe(200)
      expect(answer.text).toBe('Two files: a.txt and b.txt.')
      const sent = groq.requests.at(-1)!.body.messages as { role: string; content: unknown }[]
      expect(sent.map((message) => message.content)).toEqual([
        'You are a coding agent.\nBe brief.',
        [{ type: 'text', text: 'List the files.' }],
        null,
        'a.txt\nb.txt',
      ])
    })

    it('from an Anthropic client (system blocks, tool_result blocks): joined too, and the answer comes back', async () => {
      const groq = await startFakeOpenAI({
        apiKey: 'gsk_text_parts_0000002',
        stringContentOnly: true,
        behavior: { kind: 'text', text: 'Two files.' },
      })
      const smartsplit = await startSmartSplit({
        free_llm_priority: ['groq'],
        providers: { groq: { base_url: groq.url, api_key: 'gsk_text_parts_0000002' } },
      })
      running.push(smartsplit, groq)
      const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
      const params: Anthropic.MessageCreateParamsNonStreaming = {
        model: 'smartsplit',
        max_tokens: 256,
        system: [
          { type: 'text', text: 'You are a coding agent.' },
          { type: 'text', text: 'Be brief.' },
        ],
        tools: [{ name: 'ls', input_schema: { type: 'object', properties: {} } }],
        messages: [
          { role: 'user', content: 'List the files.' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'ls', input: {} }] },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [
                  { type: 'text', text: 'a.txt' },
                  { type: 'text', text: 'b.txt' },
                ],
              },
            ],
          },
        ],
      }
      const text = stream
        ? (await client.messages.stream(params).finalMessage()).content
        : (await client.messages.create(params)).content
      expect(text).toEqual([expect.objectContaining({ type: 'text', text: 'Two files.' })])
      const sent = groq.requests.at(-1)!.body.messages as { role: string; content: unknown }[]
      for (const message of sent.filter((m) => m.role !== 'user')) {
        expect(message.content === null || typeof message.content === 'string').toBe(true)
      }
      expect(sent.find((m) => m.role === 'tool')?.content).toBe('a.txt\nb.txt')
    })
  },
)
