import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Anthropic clients (the @anthropic-ai/sdk's models.list, Claude Code's model picker) list models with
// GET /v1/models and an `anthropic-version` header. SmartSplit answered them in OpenAI's shape (no
// `type`, `display_name`, `created_at`, `has_more`), refused their `x-api-key` when access keys are
// set (401: only /v1/messages read that header), and answered an unknown model in OpenAI's error
// shape. Such a request is now answered as Anthropic's Models API would; OpenAI clients see no change.

const KEY = 'gsk_fake_models_key_00000001'
const ACCESS_KEY = 'ss-access-key-models-0001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b' } },
    server: { api_keys: [ACCESS_KEY] },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const anthropic = (apiKey = ACCESS_KEY) => new Anthropic({ baseURL: smartsplit.url, apiKey, maxRetries: 0 })

describe('GET /v1/models from an Anthropic client', () => {
  it('lists every model in Anthropic’s shape, with the x-api-key the SDK sends', async () => {
    const ids: string[] = []
    for await (const model of anthropic().models.list()) {
      expect(model.type).toBe('model')
      expect(model.display_name.length).toBeGreaterThan(0)
      expect(Number.isNaN(Date.parse(model.created_at))).toBe(false)
      ids.push(model.id)
    }
    expect(ids).toContain('smartsplit')
    expect(ids).toContain('groq/gpt-oss-120b')
  })

  it('answers the page fields Anthropic’s pagination reads', async () => {
    const response = await fetch(`${smartsplit.url}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01', 'x-api-key': ACCESS_KEY },
    })
    expect(response.status).toBe(200)
    const page = (await response.json()) as Record<string, unknown> & { data: { id: string }[] }
    expect(page.has_more).toBe(false)
    expect(page.first_id).toBe(page.data[0]?.id)
    expect(page.last_id).toBe(page.data.at(-1)?.id)
  })

  it('retrieves one model, and answers an unknown one with Anthropic’s 404', async () => {
    const model = await anthropic().models.retrieve('smartsplit')
    expect(model).toMatchObject({ type: 'model', id: 'smartsplit' })
    const missing = await anthropic()
      .models.retrieve('claude-unknown-1')
      .catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError)
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    })
  })

  it('refuses a wrong x-api-key with Anthropic’s 401', async () => {
    const refused = await anthropic('wrong-key')
      .models.list()
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError)
    expect((refused as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: 'error',
    })
  })
})

describe('GET /v1/models from an OpenAI client', () => {
  it('is unchanged: OpenAI’s list shape, and x-api-key is not a credential there', async () => {
    const openai = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: ACCESS_KEY, maxRetries: 0 })
    const list = await openai.models.list()
    expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'smartsplit' })
    const withoutVersion = await fetch(`${smartsplit.url}/v1/models`, {
      headers: { 'x-api-key': ACCESS_KEY },
    })
    expect(withoutVersion.status).toBe(401)
    const body = (await withoutVersion.json()) as { error: { code: string } }
    expect(body.error.code).toBe('invalid_api_key')
  })
})
