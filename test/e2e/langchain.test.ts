import { type AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages'
import { tool } from '@langchain/core/tools'
import { ChatOpenAI } from '@langchain/openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// LangChain's ChatOpenAI (@langchain/openai) doing a streamed tool loop through SmartSplit: the model
// streams a tool call in fragments, LangChain joins them, runs the tool, sends the result back, and the
// model answers in text. The loop is written out (no agent framework) so every message can be checked.

/** Calls the tool first; once a tool result is in the conversation, answers with text. */
function toolLoop(body: Record<string, unknown>): FakeBehavior {
  const messages = body.messages as { role: string }[]
  return messages.some((m) => m.role === 'tool')
    ? { kind: 'text', text: 'It is sunny in Paris.' }
    : {
        kind: 'tool_calls',
        calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
        argumentPieces: 4,
      }
}

describe('LangChain (@langchain/openai) through SmartSplit', () => {
  let fake: FakeOpenAI
  let smartsplit: RunningSmartSplit

  beforeAll(async () => {
    fake = await startFakeOpenAI({ model: 'gpt-oss-120b', apiKey: 'gsk_test_key_0001', behavior: toolLoop })
    smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: {
        groq: {
          base_url: fake.url,
          api_key: 'gsk_test_key_0001',
          model: 'gpt-oss-120b',
          limits: { tpm: 1_000_000, tpd: 100_000_000 },
        },
      },
    })
  })
  afterAll(async () => {
    await smartsplit.close()
    await fake.close()
  })

  it('completes a streamed tool loop with ChatOpenAI.bindTools', async () => {
    const executed: { city: string }[] = []
    const getWeather = tool(
      async (input: { city: string }) => {
        executed.push(input)
        return JSON.stringify({ temp_c: 21, sky: 'clear' })
      },
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        schema: z.object({ city: z.string() }),
      },
    )
    const model = new ChatOpenAI({
      model: 'smartsplit',
      apiKey: 'anything',
      configuration: { baseURL: smartsplit.baseURL },
      streaming: true,
      streamUsage: true,
      maxRetries: 0,
    }).bindTools([getWeather])

    const messages: BaseMessage[] = [new HumanMessage('Weather in Paris?')]
    const chunkCounts: number[] = []
    let last: AIMessageChunk | undefined
    for (let step = 0; step < 3; step++) {
      let full: AIMessageChunk | undefined
      let chunks = 0
      for await (const chunk of await model.stream(messages)) {
        full = full === undefined ? chunk : full.concat(chunk)
        chunks += 1
      }
      chunkCounts.push(chunks)
      last = full!
      messages.push(last)
      if ((last.tool_calls ?? []).length === 0) break
      for (const call of last.tool_calls ?? [])
        messages.push(await getWeather.invoke({ ...call, type: 'tool_call' }))
    }

    // The tool call arrived as fragments over several chunks and was joined into one call.
    expect(chunkCounts[0]).toBeGreaterThan(3)
    expect(executed).toEqual([{ city: 'Paris' }])
    expect(last?.content).toBe('It is sunny in Paris.')
    expect(last?.usage_metadata).toMatchObject({ input_tokens: 12, output_tokens: 7, total_tokens: 19 })
    expect(messages.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai'])

    // Upstream saw what LangChain sent: streaming, the tool's JSON schema, then the tool result.
    expect(fake.requests).toHaveLength(2)
    const [first, second] = fake.requests.map((r) => r.body)
    expect(first).toMatchObject({ stream: true, model: 'gpt-oss-120b' })
    expect(first!.tools).toEqual([
      {
        type: 'function',
        function: expect.objectContaining({
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: expect.objectContaining({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
        }),
      },
    ])
    const sentMessages = second!.messages as Record<string, unknown>[]
    expect(sentMessages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [
        {
          id: 'call_fake0',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ],
    })
    expect(sentMessages[2]).toMatchObject({
      role: 'tool',
      tool_call_id: 'call_fake0',
      content: '{"temp_c":21,"sky":"clear"}',
    })
  })
})
