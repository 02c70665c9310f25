import { ManualClock } from '../../src/lib/clock.js'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../../test/fakes/fake-openai.js'
import { startSmartSplit } from '../../test/support/start-smartsplit.js'
import type { BenchContext } from './context.js'

// Free-tier multiplication (issue 6): N fake providers, each enforcing its own RPM (sliding 60 s) and RPD
// (UTC day) with real 429s and Retry-After, behind one SmartSplit, driven at twice their summed RPM on a
// ManualClock (simulated minutes, real HTTP). Measured: the share of the summed capacity served, errors
// while some provider could still have served (ground truth from the fakes, honouring the Retry-After
// each had announced), and whether every refusal is a 429 whose Retry-After is the real wait (± 1 s). Run twice: limits declared in the config
// (SmartSplit routes away before a 429), and undeclared (it learns them from the 429s alone).

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
const LIMITS = [
  { rpm: 3, rpd: 40 },
  { rpm: 5, rpd: 60 },
  { rpm: 4, rpd: 50 },
  { rpm: 6, rpd: 30 },
]

export interface FreeTierFigures {
  declaredLimits: boolean
  providers: number
  simulatedMinutes: number
  requests: number
  capacity: number
  served: number
  servedShare: number
  /** Non-200 answers while a provider could have served, past the Retry-After it had announced. */
  avoidableErrors: number
  /**
   * Non-200 answers while a provider was free again but still inside the Retry-After it had announced:
   * providers round it up to whole seconds, and SmartSplit waits as long as it was told.
   */
  withinAnnouncedWait: number
  refusals: number
  /** Refusals that were 429 with Retry-After equal (±1 s) to the wait until some provider frees up. */
  correctRefusals: number
  /** 429s the providers had to send (SmartSplit called a provider that was out of capacity). */
  upstream429s: number
}

/** One provider's limiter: the ground truth for what it can take and when. */
export class Limiter {
  readonly #log: number[] = []
  /** The end of the last Retry-After this provider sent. */
  #announcedUntilMs = 0
  #dayEndMs = 0
  #dayCount = 0
  constructor(
    readonly rpm: number,
    readonly rpd: number,
    readonly clock: ManualClock,
  ) {}

  /** When the next request would be accepted (now if it would). */
  nextFreeMs(): number {
    const nowMs = this.clock.nowMs()
    this.#roll(nowMs)
    if (this.#dayCount >= this.rpd) return this.#dayEndMs
    const recent = this.#log.filter((atMs) => atMs > nowMs - MINUTE_MS)
    if (recent.length < this.rpm) return nowMs
    return recent[recent.length - this.rpm]! + MINUTE_MS
  }

  /** When a client that obeys this provider's own Retry-After may use it again. */
  usableFromMs(): number {
    return Math.max(this.nextFreeMs(), this.#announcedUntilMs)
  }

  take(): FakeBehavior {
    const nowMs = this.clock.nowMs()
    const freeMs = this.nextFreeMs()
    if (freeMs > nowMs) {
      const isDaily = this.#dayCount >= this.rpd
      const retryAfterS = Math.ceil((freeMs - nowMs) / 1000)
      this.#announcedUntilMs = nowMs + retryAfterS * 1000
      const window = isDaily ? 'requests per day (RPD)' : 'requests per minute (RPM)'
      return {
        kind: 'error',
        status: 429,
        headers: { 'retry-after': String(retryAfterS) },
        body: {
          error: {
            message: `Rate limit reached on ${window}: Limit ${isDaily ? this.rpd : this.rpm}.`,
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        },
      }
    }
    this.#log.push(nowMs)
    this.#dayCount += 1
    return { kind: 'text', text: 'Served within the free tier.' }
  }

  #roll(nowMs: number): void {
    if (nowMs < this.#dayEndMs) return
    this.#dayEndMs = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS
    this.#dayCount = 0
  }
}

async function runOnce(minutes: number, declaredLimits: boolean): Promise<FreeTierFigures> {
  // 00:00 UTC, so the whole run is one quota day.
  const clock = new ManualClock(Date.UTC(2026, 0, 14))
  const limiters = LIMITS.map((limit) => new Limiter(limit.rpm, limit.rpd, clock))
  const fakes: FakeOpenAI[] = []
  for (const [index, limiter] of limiters.entries()) {
    fakes.push(
      await startFakeOpenAI({ apiKey: `free-key-${index}-0000000001`, behavior: () => limiter.take() }),
    )
  }
  const names = limiters.map((_, index) => `free-${String.fromCharCode(97 + index)}`)
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: names,
      providers: Object.fromEntries(
        names.map((name, index) => [
          name,
          {
            base_url: fakes[index]!.url,
            model: 'fake-model',
            api_key: `free-key-${index}-0000000001`,
            limits: declaredLimits
              ? { rpm: LIMITS[index]!.rpm, rpd: LIMITS[index]!.rpd, tpm: null, tpd: null }
              : { rpm: null, rpd: null, tpm: null, tpd: null },
          },
        ]),
      ),
      retry_budget: { max_attempts: 8 },
    },
    { clock },
  )
  const summedRpm = LIMITS.reduce((sum, limit) => sum + limit.rpm, 0)
  const gapMs = MINUTE_MS / (2 * summedRpm)
  const requests = Math.round((minutes * MINUTE_MS) / gapMs)
  const figures: FreeTierFigures = {
    declaredLimits,
    providers: LIMITS.length,
    simulatedMinutes: minutes,
    requests,
    capacity: LIMITS.reduce((sum, limit) => sum + Math.min(limit.rpd, limit.rpm * minutes), 0),
    served: 0,
    servedShare: 0,
    avoidableErrors: 0,
    withinAnnouncedWait: 0,
    refusals: 0,
    correctRefusals: 0,
    upstream429s: 0,
  }
  try {
    for (let i = 0; i < requests; i++) {
      const nowMs = clock.nowMs()
      const freeInMs = Math.min(...limiters.map((limiter) => limiter.nextFreeMs())) - nowMs
      const waitMs = Math.min(...limiters.map((limiter) => limiter.usableFromMs())) - nowMs
      const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
      })
      await response.text()
      if (response.status === 200) figures.served += 1
      else {
        figures.refusals += 1
        if (waitMs <= 0) figures.avoidableErrors += 1
        else if (freeInMs <= 0) figures.withinAnnouncedWait += 1
        const retryAfterS = Number(response.headers.get('retry-after'))
        const isCorrect =
          response.status === 429 && waitMs > 0 && Math.abs(retryAfterS - Math.ceil(waitMs / 1000)) <= 1
        if (isCorrect) figures.correctRefusals += 1
      }
      clock.advance(gapMs)
    }
  } finally {
    await smartsplit.close()
    for (const fake of fakes) await fake.close()
  }
  const upstreamCalls = fakes.reduce((sum, fake) => sum + fake.requests.length, 0)
  figures.upstream429s = upstreamCalls - figures.served
  figures.servedShare = figures.served / figures.capacity
  return figures
}

export async function runFreeTier(ctx: BenchContext): Promise<FreeTierFigures[]> {
  const minutes = ctx.smoke ? 3 : 20
  const out: FreeTierFigures[] = []
  for (const declared of [true, false]) {
    const figures = await runOnce(minutes, declared)
    ctx.log(
      `  free tier (${declared ? 'limits declared' : 'limits learned from 429s'}): served ${figures.served}/${figures.capacity} ` +
        `(${(figures.servedShare * 100).toFixed(1)} %), avoidable errors ${figures.avoidableErrors} ` +
        `(+${figures.withinAnnouncedWait} inside a provider's rounded-up Retry-After), ` +
        `refusals ${figures.refusals} (${figures.correctRefusals} with a correct Retry-After), upstream 429s ${figures.upstream429s}`,
    )
    out.push(figures)
  }
  return out
}
