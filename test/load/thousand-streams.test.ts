import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Issue 9: 1 000 concurrent streaming clients held for 60 s against a slow fake — no errors, no stalls.
// One chunk per second for 60 s per stream: 60 000 chunks through SmartSplit while all streams are open.

const CLIENTS = 1000
const CHUNKS = 60
const CHUNK_EVERY_MS = 1000
/** A gap this long between two chunks of one stream would be a stall (chunks come every second). */
const STALL_MS = 5000

describe('1 000 concurrent streaming clients for 60 s', () => {
  let fake: FakeOpenAI
  let smartsplit: RunningSmartSplit
  let client: Agent

  beforeAll(async () => {
    fake = await startFakeOpenAI({
      apiKey: 'load-key-000001',
      behavior: {
        kind: 'text',
        pieces: Array.from({ length: CHUNKS }, (_, i) => `c${i} `),
        chunkDelayMs: CHUNK_EVERY_MS,
      },
    })
    smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: 'load-key-000001', limits: UNLIMITED } },
      // Every client here comes from 127.0.0.1: the per-client cap is for real deployments.
      server: { max_concurrent_per_client: 0 },
    })
    client = new Agent({ connections: CLIENTS + 10, headersTimeout: 120_000, bodyTimeout: 30_000 })
  })
  afterAll(async () => {
    await client.close()
    await smartsplit.close()
    await fake.close()
  })

  it('serves every stream to the end with no error and no stall', async () => {
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, index) => {
        const response = await request(`${smartsplit.baseURL}/chat/completions`, {
          method: 'POST',
          dispatcher: client,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'smartsplit',
            stream: true,
            messages: [{ role: 'user', content: `stream ${index}` }],
          }),
        })
        let text = ''
        let last = performance.now()
        let worstGapMs = 0
        for await (const piece of response.body) {
          const now = performance.now()
          worstGapMs = Math.max(worstGapMs, now - last)
          last = now
          text += String(piece)
        }
        return {
          status: response.statusCode,
          done: text.endsWith('data: [DONE]\n\n'),
          errors: text.includes('"error"'),
          worstGapMs,
        }
      }),
    )
    expect(results.filter((r) => r.status !== 200)).toEqual([])
    expect(results.filter((r) => !r.done || r.errors)).toEqual([])
    const worst = Math.max(...results.map((r) => r.worstGapMs))
    expect(worst, `worst gap between chunks: ${worst.toFixed(0)} ms`).toBeLessThan(STALL_MS)
    expect(fake.requests.length).toBe(CLIENTS)
  }, 180_000)
})
