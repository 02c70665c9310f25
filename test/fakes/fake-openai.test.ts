import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js'

// The fake must refuse what OpenAI's published schema refuses, in OpenAI's words, or SmartSplit could
// send upstream what a real provider rejects and no test would notice.

let fake: FakeOpenAI
beforeEach(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-fake-key' })
})
afterEach(async () => {
  await fake.close()
})

function post(body: unknown): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-fake-key', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('the OpenAI-compatible fake', () => {
  it('answers a request that matches CreateChatCompletionRequest', async () => {
    const response = await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false })
    expect(response.status).toBe(200)
  })

  it('refuses a tool message without tool_call_id as OpenAI does', async () => {
    const response = await post({
      model: 'm',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'tool', content: '{"temp_c":21}' },
      ],
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: {
        message: "Missing required parameter: 'messages[1].tool_call_id'.",
        type: 'invalid_request_error',
        param: 'messages[1].tool_call_id',
        code: 'missing_required_parameter',
      },
    })
  })

  it.each([
    ['a message without a role', { model: 'm', messages: [{ content: 'hi' }] }],
    [
      'five stop sequences',
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], stop: ['a', 'b', 'c', 'd', 'e'] },
    ],
    ['a temperature of 3', { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 3 }],
    [
      'a tool without a name',
      {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'function', function: {} }],
      },
    ],
  ])('refuses %s with a 400 naming the parameter', async (_label, body) => {
    const response = await post(body)
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { type: string; param: string | null } }
    expect(error.type).toBe('invalid_request_error')
    expect(error.param).not.toBeNull()
  })
})
