import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// Groq documents that `logprobs`, `logit_bias`, `top_logprobs` and `messages[].name` "will result in a
// 400 error" (console.groq.com/docs/openai). OpenAI clients send them; the catalogue's Groq quirks drop
// them, so the request is answered instead of refused. The fake refuses them as Groq does.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

describe.each([false, true])('fields Groq refuses, from an OpenAI client (stream: %s)', (stream) => {
  it('are not sent to Groq, and the answer comes back', async () => {
    const groq = await startFakeOpenAI({
      apiKey: 'gsk_unsupported_000001',
      unsupportedFields: ['logprobs', 'logit_bias', 'top_logprobs'],
      unsupportedMessageFields: ['name'],
      stringContentOnly: true,
      behavior: { kind: 'text', text: 'Answered without them.' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: groq.url, api_key: 'gsk_unsupported_000001' } },
    })
    running.push(smartsplit, groq)
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const answer = await ask(
      client,
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hi to the team.', name: 'alice' },
        ],
        logprobs: true,
        top_logprobs: 2,
        logit_bias: { '50256': -100 },
        temperature: 0.3,
      },
      stream,
    )
    expect(answer.status).toBe(200)
    expect(answer.text).toBe('Answered without them.')
    const sent = groq.requests.at(-1)!.body
    expect(Object.keys(sent)).not.toContain('logprobs')
    expect(Object.keys(sent)).not.toContain('logit_bias')
    expect(Object.keys(sent)).not.toContain('top_logprobs')
    expect(sent.temperature).toBe(0.3)
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hi to the team.' },
    ])
  })
})
