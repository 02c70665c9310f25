import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConfigFile } from '../../src/config/schema.js'
import { type FakeEmbeddings, startFakeEmbeddings } from '../fakes/fake-embeddings.js'
import { type FakeMistral, startFakeMistral } from '../fakes/fake-mistral.js'
import { fakeVector } from '../fakes/fake-vector.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 17 §3: POST /v1/embeddings for codebase indexing. A model id always resolves to one embedding
// model (smartsplit-embed → the configured or first-chosen default, or provider/model); failover only to
// the same model under another key, else a 503 that says why; batches split to the provider's size;
// base64 and dimensions; listed in /v1/models. Clients: the openai SDK (which asks for base64) and
// Continue's own request (floats).

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

/** Closes one now (a restart), so the end of the test does not close it twice. */
async function closeNow(item: { close(): Promise<void> }): Promise<void> {
  running.splice(running.indexOf(item), 1)
  await item.close()
}

interface Setup {
  smartsplit: RunningSmartSplit
  gemini: FakeEmbeddings
  cloudflare: FakeEmbeddings
  mistral: FakeMistral
}

async function setUp(config: Partial<ConfigFile> = {}, only?: string[]): Promise<Setup> {
  const gemini = await startFakeEmbeddings({
    dialect: 'gemini',
    keys: ['gem-1', 'gem-2'],
    models: { 'gemini-embedding-001': { dimensions: 3072, flexible: true } },
  })
  const cloudflare = await startFakeEmbeddings({
    dialect: 'openai',
    keys: ['cf-1'],
    models: { '@cf/baai/bge-base-en-v1.5': { dimensions: 768 } },
  })
  const mistral = await startFakeMistral({ apiKey: 'mk' })
  running.push(gemini, cloudflare, mistral)
  const providers: NonNullable<ConfigFile['providers']> = {
    // Two Google Cloud projects: a 429 on one leaves the other's quota alone.
    gemini: {
      base_url: gemini.url,
      api_keys: [
        { key: 'gem-1', pool: 'project-1' },
        { key: 'gem-2', pool: 'project-2' },
      ],
    },
    cloudflare: { base_url: cloudflare.url, api_key: 'cf-1' },
    mistral: { base_url: mistral.url, api_key: 'mk' },
  }
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['gemini', 'mistral', 'cloudflare'],
    providers:
      only === undefined ? providers : Object.fromEntries(only.map((name) => [name, providers[name]!])),
    ...config,
  })
  running.push(smartsplit)
  return { smartsplit, gemini, cloudflare, mistral }
}

async function post(smartsplit: RunningSmartSplit, body: unknown) {
  const response = await fetch(`${smartsplit.baseURL}/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { response, json: (await response.json()) as Record<string, unknown> }
}

const closeTo = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length)
  for (let i = 0; i < expected.length; i += 97) expect(actual[i]).toBeCloseTo(expected[i]!, 6)
}

describe('POST /v1/embeddings', () => {
  it('embeds a batch with the openai SDK (base64 on the wire), in input order, 100 per Gemini call', async () => {
    const { smartsplit, gemini } = await setUp()
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const texts = Array.from({ length: 150 }, (_, i) => `function f${i}() { return ${i} }`)
    const { data, response } = await client.embeddings
      .create({ model: 'smartsplit-embed', input: texts })
      .withResponse()
    expect(response.headers.get('x-smartsplit-provider')).toBe('gemini')
    expect(data.model).toBe('gemini/gemini-embedding-001')
    expect(data.data.map((item) => item.index)).toEqual(texts.map((_, i) => i))
    closeTo(data.data[0]!.embedding, fakeVector(texts[0]!, 3072))
    closeTo(data.data[149]!.embedding, fakeVector(texts[149]!, 3072))
    expect(gemini.requests.map((r) => (r.body.requests as unknown[]).length)).toEqual([100, 50])
    expect(data.usage.prompt_tokens).toBeGreaterThan(0)
  })

  it("answers Continue's request (floats, the spec's shape) and honours dimensions where the model can", async () => {
    const { smartsplit, gemini } = await setUp()
    const { response, json } = await post(smartsplit, {
      input: ['const a = 1', 'const b = 2'],
      model: 'smartsplit-embed',
    })
    expect(response.status).toBe(200)
    assertMatchesSchema('CreateEmbeddingResponse', json)
    const data = json.data as { embedding: number[] }[]
    closeTo(data[1]!.embedding, fakeVector('const b = 2', 3072))

    const short = await post(smartsplit, {
      input: 'x',
      model: 'gemini/gemini-embedding-001',
      dimensions: 768,
      encoding_format: 'base64',
    })
    expect(short.response.status).toBe(200)
    const encoded = (short.json.data as { embedding: string }[])[0]!.embedding
    const decoded = new Float32Array(Buffer.from(encoded, 'base64').buffer.slice(0))
    expect(decoded).toHaveLength(768)
    expect(gemini.requests.at(-1)!.body.requests).toEqual([
      {
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text: 'x' }] },
        outputDimensionality: 768,
      },
    ])
  })

  it('serves provider/model on OpenAI-style APIs (Cloudflare) and Mistral, each as its schema wants', async () => {
    const { smartsplit, cloudflare, mistral } = await setUp()
    const viaCloudflare = await post(smartsplit, {
      input: ['a', 'b'],
      model: 'cloudflare/@cf/baai/bge-base-en-v1.5',
    })
    expect(viaCloudflare.response.status).toBe(200)
    expect(viaCloudflare.json.model).toBe('cloudflare/@cf/baai/bge-base-en-v1.5')
    closeTo((viaCloudflare.json.data as { embedding: number[] }[])[0]!.embedding, fakeVector('a', 768))
    expect(cloudflare.requests[0]!.body).toEqual({
      model: '@cf/baai/bge-base-en-v1.5',
      input: ['a', 'b'],
      encoding_format: 'float',
    })

    const viaMistral = await post(smartsplit, { input: 'a', model: 'mistral/mistral-embed' })
    expect(viaMistral.response.status).toBe(200)
    expect(mistral.requests[0]!.path).toBe('/v1/embeddings')
    // mistral-embed has one width: asking for another is the client's mistake, said before any call.
    const tooShort = await post(smartsplit, { input: 'a', model: 'mistral/mistral-embed', dimensions: 256 })
    expect(tooShort.response.status).toBe(400)
    expect(tooShort.json.error).toMatchObject({ param: 'dimensions', type: 'invalid_request_error' })
    expect(mistral.requests).toHaveLength(1)
  })

  it('fails over only to the same model under another key, and otherwise says why in a 503', async () => {
    const { smartsplit, gemini, cloudflare, mistral } = await setUp()
    gemini.faults.push({ key: 'gem-1', fault: { kind: 'rate_limit', retryAfterSeconds: 30 } })
    const moved = await post(smartsplit, { input: 'a', model: 'smartsplit-embed' })
    expect(moved.response.status).toBe(200)
    expect(gemini.requests.map((r) => r.key)).toEqual(['gem-1', 'gem-2'])

    gemini.faults.push({ key: 'gem-2', fault: { kind: 'rate_limit', retryAfterSeconds: 45 } })
    const refused = await post(smartsplit, { input: 'b', model: 'smartsplit-embed' })
    expect(refused.response.status).toBe(503)
    expect(refused.response.headers.get('retry-after')).toMatch(/^\d+$/)
    const error = refused.json.error as { code: string; message: string }
    expect(error.code).toBe('embedding_model_unavailable')
    expect(error.message).toContain('gemini/gemini-embedding-001')
    expect(error.message).toContain('cannot share an index')
    // Another provider with embeddings was right there, and was never asked.
    expect(cloudflare.requests).toHaveLength(0)
    expect(mistral.requests).toHaveLength(0)
  })

  it('keeps what smartsplit-embed means across restarts, until the config says otherwise', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-embed-'))
    const first = await setUp({ data_dir: dataDir })
    expect((await post(first.smartsplit, { input: 'a', model: 'smartsplit-embed' })).json.model).toBe(
      'gemini/gemini-embedding-001',
    )
    await closeNow(first.smartsplit)
    // Gemini's key is gone: the index's model cannot be reached, and nothing else stands in.
    const second = await setUp({ data_dir: dataDir }, ['mistral', 'cloudflare'])
    const refused = await post(second.smartsplit, { input: 'a', model: 'smartsplit-embed' })
    expect(refused.response.status).toBe(503)
    expect((refused.json.error as { message: string }).message).toContain('gemini is not enabled')
    await closeNow(second.smartsplit)
    const third = await setUp({ data_dir: dataDir, embeddings: { default_model: 'mistral/mistral-embed' } }, [
      'mistral',
    ])
    expect((await post(third.smartsplit, { input: 'a', model: 'smartsplit-embed' })).json.model).toBe(
      'mistral/mistral-embed',
    )
  })

  it('lists the embedding models in /v1/models and refuses what it cannot embed, in OpenAI’s shape', async () => {
    const { smartsplit } = await setUp()
    const models = (await (await fetch(`${smartsplit.baseURL}/models`)).json()) as { data: { id: string }[] }
    const ids = models.data.map((model) => model.id)
    expect(ids).toEqual(
      expect.arrayContaining(['smartsplit-embed', 'gemini/gemini-embedding-001', 'mistral/mistral-embed']),
    )
    const cases: [unknown, number, string][] = [
      [{ model: 'nobody/nothing', input: 'a' }, 404, 'model_not_found'],
      [{ model: 'smartsplit', input: 'a' }, 404, 'model_not_found'],
      [{ model: 'smartsplit-embed', input: [[1, 2, 3]] }, 400, 'invalid_value'],
      [{ model: 'smartsplit-embed', input: [] }, 400, 'invalid_value'],
      [{ model: 'smartsplit-embed', input: 'a', encoding_format: 'int8' }, 400, 'invalid_value'],
      [{ model: 'gemini/../../secrets', input: 'a' }, 404, 'model_not_found'],
    ]
    for (const [body, status, code] of cases) {
      const { response, json } = await post(smartsplit, body)
      expect(response.status).toBe(status)
      expect(json.error).toMatchObject({ code })
    }
  })
})
