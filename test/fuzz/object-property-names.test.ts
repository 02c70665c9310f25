import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 15 item 12: names that are also property names of every JavaScript object. `"model": "toString"`
// answered 500 (a plain-object lookup found Object.prototype.toString), a provider named `constructor`
// crashed the start, one named `__proto__` was silently ignored. Client model ids route like any other
// unknown id, a provider may be called `constructor`, and `__proto__` is refused with a clear message.

const KEY = 'gsk_fake_property_names_key_01'
const NAMES = ['toString', 'constructor', 'valueOf', '__proto__', 'hasOwnProperty', 'isPrototypeOf']

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', text: 'Routed.' } })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['constructor', 'groq'],
    providers: {
      constructor: { base_url: fake.url, api_key: KEY, model: 'fake-model' },
      groq: { base_url: fake.url, api_key: KEY },
    },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

async function post(path: string, body: unknown) {
  const response = await fetch(`${smartsplit.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return {
    status: response.status,
    text: await response.text(),
    provider: response.headers.get('x-smartsplit-provider'),
  }
}

const user = [{ role: 'user', content: 'hi' }]

describe('a model id that is an Object property name', () => {
  it.each(NAMES)('"%s" routes like any unknown id on every endpoint, streamed or not', async (model) => {
    for (const stream of [false, true]) {
      const answers = [
        await post('/v1/chat/completions', { model, stream, messages: user }),
        await post('/v1/messages', { model, stream, max_tokens: 20, messages: user }),
        await post('/v1/responses', { model, stream, input: 'hi' }),
      ]
      for (const answer of answers) {
        expect(answer.status, answer.text.slice(0, 300)).toBe(200)
        expect(answer.text).toContain('Routed')
      }
    }
    expect((await post('/v1/plan', { model, messages: user })).status).toBe(200)
    expect((await post('/v1/messages/count_tokens', { model, messages: user })).status).toBe(200)
  })

  it.each(NAMES)('"groq/%s" is pinned to groq with that model name', async (name) => {
    const answer = await post('/v1/chat/completions', { model: `groq/${name}`, messages: user })
    expect(answer.status, answer.text.slice(0, 300)).toBe(200)
    expect(answer.provider).toBe('groq')
    expect(fake.requests.at(-1)!.body.model).toBe(name)
  })
})

describe('a provider named after an Object property', () => {
  it('"constructor" is an ordinary custom provider', async () => {
    const answer = await post('/v1/chat/completions', { model: 'smartsplit', messages: user })
    expect(answer.status).toBe(200)
    expect(answer.provider).toBe('constructor')
    const pinned = await post('/v1/chat/completions', { model: 'constructor/fake-model', messages: user })
    expect(pinned.provider).toBe('constructor')
  })

  it.each([
    [
      'providers',
      '{"providers": {"__proto__": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}}}',
      /providers\.__proto__/,
    ],
    ['free_llm_priority', '{"free_llm_priority": ["__proto__"]}', /unknown provider "__proto__"/],
    ['free_llm_priority', '{"free_llm_priority": ["constructor"]}', /unknown provider "constructor"/],
  ])(
    '"%s" naming __proto__ or an unconfigured "constructor" is refused with a clear message',
    (_, json, message) => {
      const dir = mkdtempSync(join(tmpdir(), 'smartsplit-names-'))
      writeFileSync(join(dir, 'smartsplit.json'), json)
      expect(() =>
        loadConfig({ configPath: join(dir, 'smartsplit.json') }, { env: {}, cwd: dir, homeDir: dir }),
      ).toThrow(message)
    },
  )
})
