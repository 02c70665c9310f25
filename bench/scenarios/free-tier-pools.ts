import { ManualClock } from '../../src/lib/clock.js'
import { CATALOG } from '../../src/providers/catalog.js'
import { type FakeBehavior, startFakeOpenAI } from '../../test/fakes/fake-openai.js'
import { startSmartSplit } from '../../test/support/start-smartsplit.js'
import type { BenchContext } from './context.js'
import { Limiter } from './free-tier.js'

// Quota pools (issue 18): two OpenRouter keys of one account, whose `:free` limits are account-wide
// (the catalogue's 20 RPM and 50 RPD), behind one SmartSplit, driven at twice the pool's RPM on a
// ManualClock. The fake enforces one limit for both keys and answers OpenRouter's own 429 (code 429,
// X-RateLimit-* headers, epoch-ms reset). Run twice: the keys left in their default shared pool (what
// SmartSplit does now), and declared as two separate pools (counting each key as a fresh quota, which
// is what it used to do): the upstream 429s of the second run are SmartSplit over-counting capacity.

const MINUTE_MS = 60_000
const KEYS = ['sk-or-v1-poolbenchkey00000000000a', 'sk-or-v1-poolbenchkey00000000000b']

export interface FreeTierPoolFigures {
  /** How the config declares the two keys: one shared pool (default), or a pool each. */
  pools: 'shared (default)' | 'separate (declared)'
  keys: number
  simulatedMinutes: number
  requests: number
  /** What the account can serve in the run: min(RPD, RPM × minutes). */
  capacity: number
  served: number
  /** 429s the fake had to send: calls SmartSplit made beyond the account's limit. */
  upstream429s: number
}

/** OpenRouter's 429, from the shared limiter's verdict. */
function asOpenRouter(answer: FakeBehavior, nowMs: number): FakeBehavior {
  if (answer.kind !== 'error') return answer
  const retryAfterS = Number(answer.headers?.['retry-after'] ?? '60')
  const headers = {
    'X-RateLimit-Limit': '20',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': String(nowMs + retryAfterS * 1000),
    'retry-after': String(retryAfterS),
  }
  return {
    kind: 'error',
    status: 429,
    headers,
    body: {
      error: { message: 'Rate limit exceeded: free-models-per-min. ', code: 429, metadata: { headers } },
      user_id: 'user_bench',
    },
  }
}

async function runOnce(minutes: number, separatePools: boolean): Promise<FreeTierPoolFigures> {
  const clock = new ManualClock(Date.UTC(2026, 11, 7))
  const limits = CATALOG.openrouter!.limits
  const rpm = limits.rpm ?? 20
  const rpd = limits.rpd ?? 50
  const account = new Limiter(rpm, rpd, clock)
  const fake = await startFakeOpenAI({
    apiKeys: KEYS,
    behavior: () => asOpenRouter(account.take(), clock.nowMs()),
  })
  const apiKeys = separatePools ? KEYS.map((key, index) => ({ key, pool: `account-${index + 1}` })) : KEYS
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['openrouter'],
      providers: { openrouter: { base_url: fake.url, api_keys: apiKeys } },
      retry_budget: { max_attempts: 8 },
    },
    { clock },
  )
  const gapMs = MINUTE_MS / (2 * rpm)
  const requests = Math.round((minutes * MINUTE_MS) / gapMs)
  let served = 0
  try {
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
      })
      await response.text()
      if (response.status === 200) served += 1
      clock.advance(gapMs)
    }
  } finally {
    await smartsplit.close()
    await fake.close()
  }
  return {
    pools: separatePools ? 'separate (declared)' : 'shared (default)',
    keys: KEYS.length,
    simulatedMinutes: minutes,
    requests,
    capacity: Math.min(rpd, rpm * minutes),
    served,
    upstream429s: fake.requests.length - served,
  }
}

export async function runFreeTierPools(ctx: BenchContext): Promise<FreeTierPoolFigures[]> {
  const minutes = ctx.smoke ? 2 : 5
  const out: FreeTierPoolFigures[] = []
  for (const separate of [false, true]) {
    const figures = await runOnce(minutes, separate)
    ctx.log(
      `  free tier, 2 OpenRouter keys of one account (${figures.pools}): served ${figures.served}/${figures.capacity}, ` +
        `upstream 429s ${figures.upstream429s}`,
    )
    out.push(figures)
  }
  return out
}
