import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { printStats } from '../../src/cli/stats.js'
import { ManualClock } from '../../src/lib/clock.js'
import { costAndSavings, DEFAULT_REFERENCE_PRICE } from '../../src/metrics/prices.js'
import { SqliteStore } from '../../src/state/store/sqlite-store.js'
import type { RequestRecord } from '../../src/state/store/types.js'

// `smartsplit stats` reads the store the server writes. The store is filled through SqliteStore itself
// (the server's own writer), and left open while stats reads, as with a running server.

const NOW = Date.parse('2026-11-25T12:00:00Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR

function request(timeMs: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  const tokensIn = overrides.tokensIn ?? 2_000
  const tokensOut = overrides.tokensOut ?? 500
  return {
    requestId: null,
    endpoint: null,
    timeMs,
    route: 'respond',
    mode: 'balanced',
    tasks: ['code'],
    providersTried: ['groq/m=ok'],
    attempts: [{ provider: 'groq', model: 'm', keyIndex: 0, outcome: 'ok', latencyMs: 100 }],
    provider: 'groq',
    model: 'm',
    tokensIn,
    tokensOut,
    tokensEstimated: false,
    latencyMs: 100,
    firstTokenMs: 40,
    outcome: 'ok',
    ...costAndSavings(tokensIn, tokensOut, false, 'm', DEFAULT_REFERENCE_PRICE),
    prompt: null,
    status: 200,
    client: null,
    ...overrides,
  }
}

function setUp(): { dir: string; store: SqliteStore } {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-stats-'))
  const store = new SqliteStore({ dataDir: join(dir, 'data'), nowMs: () => NOW })
  const usage = (day: string, provider: string, model: string, requests: number, tokensIn: number) =>
    store.addUsage({
      day,
      provider,
      model,
      keyIndex: 0,
      requests,
      tokensIn,
      tokensOut: tokensIn / 10,
      tokensCached: 0,
    })
  usage('2026-11-25', 'groq', 'llama-3.3-70b', 10, 20_000)
  store.addUsage({
    day: '2026-11-25',
    provider: 'groq',
    model: 'llama-3.3-70b',
    keyIndex: 1,
    requests: 2,
    tokensIn: 1_000,
    tokensOut: 100,
    tokensCached: 0,
  })
  usage('2026-11-24', 'groq', 'llama-3.3-70b', 5, 5_000)
  usage('2026-11-20', 'cerebras', 'qwen-3', 3, 3_000)
  usage('2026-11-10', 'mistral', 'old', 99, 99_000) // outside the last 7 days
  // Gemini files usage under the Pacific day: at 12:00 UTC on the 25th it is still the 25th there (04:00).
  usage('2026-11-25', 'gemini', 'gemini-2.5-flash', 4, 8_000)
  usage('2026-11-24', 'gemini', 'gemini-2.5-flash', 1, 1_000)
  store.recordRequest(request(NOW - HOUR))
  store.recordRequest(request(NOW - 2 * HOUR, { tokensIn: 1_000, tokensOut: 1_000 }))
  store.recordRequest(request(NOW - DAY))
  store.recordRequest(request(NOW - 30 * DAY)) // outside the last 7 days
  const paid = costAndSavings(1_000, 100, true, 'deepseek-chat', DEFAULT_REFERENCE_PRICE)
  store.recordRequest(
    request(NOW - DAY, {
      provider: 'deepseek',
      model: 'deepseek-chat',
      ...paid,
      tokensIn: 1_000,
      tokensOut: 100,
    }),
  )
  store.flush()
  return { dir, store }
}

async function stats(dir: string, days?: number, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const lines: string[] = []
  await printStats(
    { dataDir: join(dir, 'data'), ...(days === undefined ? {} : { days }) },
    {
      sources: { env, cwd: dir, homeDir: dir },
      out: (text) => lines.push(text),
      clock: new ManualClock(NOW),
    },
  )
  return lines.join('\n')
}

/** The lines of the section that starts with `title`, up to the next blank line. */
function section(output: string, title: string): string[] {
  const lines = output.split('\n')
  const start = lines.findIndex((line) => line.startsWith(title))
  const end = lines.indexOf('', start)
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

const cells = (line: string | undefined): string[] => (line ?? '').trim().split(/\s{2,}/)

describe('smartsplit stats', () => {
  it('prints usage per provider and model for today and the last N days, while the store is open', async () => {
    const { dir, store } = setUp()
    try {
      const output = await stats(dir)
      expect(output.split('\n')[0]).toMatch(/^SmartSplit \S+ stats from .*smartsplit\.db$/)
      const today = section(output, 'Today (2026-11-25')
      expect(cells(today[0])).toEqual(['provider', 'model', 'requests', 'tokens in', 'tokens out'])
      // Keys of one model are summed; rows by requests, most first.
      expect(cells(today[2])).toEqual(['groq', 'llama-3.3-70b', '12', '21,000', '2,100'])
      expect(cells(today[3])).toEqual(['gemini', 'gemini-2.5-flash', '4', '8,000', '800'])
      expect(cells(today[4])).toEqual(['total', '16', '29,000', '2,900'])
      const week = section(output, 'Last 7 days (since 2026-11-19)')
      expect(week.map(cells).slice(2)).toEqual([
        ['groq', 'llama-3.3-70b', '17', '26,000', '2,600'],
        ['gemini', 'gemini-2.5-flash', '5', '9,000', '900'],
        ['cerebras', 'qwen-3', '3', '3,000', '300'],
        ['total', '25', '38,000', '3,800'],
        [
          'requests and tokens count each upstream call once (fallbacks and the parts of a split request included).',
        ],
      ])
      expect(output).not.toContain('mistral')
    } finally {
      store.close()
    }
  })

  it('prints savings per day and in total, with the formula and the reference price', async () => {
    const { dir, store } = setUp()
    store.close()
    const output = await stats(dir)
    const savings = section(output, 'Savings, last 7 days')
    expect(cells(savings[0])).toEqual([
      'day (UTC)',
      'requests',
      'free tokens in',
      'free tokens out',
      'paid cost',
      'saved',
    ])
    // Hand-computed at gpt-4o's $2.50 / $10 per million: 2,000 in + 500 out = $0.0100; 1,000 + 1,000 = $0.0125.
    // The paid DeepSeek request cost 1,000 × $0.27/M + 100 × $1.10/M = $0.00038 and saved $0.0035 − that.
    expect(cells(savings[2])).toEqual(['2026-11-24', '2', '2,000', '500', '$0.0004', '$0.0131'])
    expect(cells(savings[3])).toEqual(['2026-11-25', '2', '3,000', '1,500', '$0.0000', '$0.0225'])
    expect(cells(savings[4])).toEqual(['total', '4', '5,000', '2,000', '$0.0004', '$0.0356'])
    expect(output).toContain(
      'saved = tokens in × input price + tokens out × output price of the reference model',
    )
    expect(output).toContain('reference: gpt-4o at $2.50 in / $10.00 out per million tokens')
  })

  it('reaches as many days back as asked', async () => {
    const { dir, store } = setUp()
    store.close()
    const output = await stats(dir, 1)
    expect(output).toContain('Last 1 day (since 2026-11-25)')
    expect(section(output, 'Savings, last 1 day').map(cells).at(-1)).toEqual([
      'total',
      '2',
      '3,000',
      '1,500',
      '$0.0000',
      '$0.0225',
    ])
    const month = await stats(dir, 30)
    expect(section(month, 'Last 30 days').map(cells).slice(2, 3)).toEqual([
      ['mistral', 'old', '99', '99,000', '9,900'],
    ])
  })

  it('says so when nothing has been recorded yet, and honours "store": "memory"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-stats-'))
    expect(await stats(dir)).toMatch(
      /^No usage recorded yet in .*data: SmartSplit creates its database there/,
    )
    writeFileSync(join(dir, 'smartsplit.json'), JSON.stringify({ store: 'memory' }))
    expect(await stats(dir)).toContain('"store": "memory"')
  })

  it('says how the configured keys add up and how to really add capacity', async () => {
    const { dir, store } = setUp()
    store.close()
    const output = await stats(dir, undefined, {
      GROQ_API_KEY: 'gsk_fake_stats_key_aaaaaaaaaaaa1,gsk_fake_stats_key_bbbbbbbbbbbb2',
      OPENROUTER_API_KEY: 'sk-or-v1-fake-statskeyaaaaaaaaaaaa1',
    })
    const capacity = section(output, 'Capacity (keys, quota pools, and how to add capacity)')
    expect(capacity.find((line) => line.startsWith('  groq:'))).toContain('2 keys share 1 pool (default)')
    expect(capacity.find((line) => line.startsWith('  openrouter:'))).toContain(
      'neither more keys nor more accounts add capacity',
    )
    expect(output).not.toContain('gsk_stats_key')
  })

  it('refuses a bad --days', async () => {
    const { dir, store } = setUp()
    store.close()
    await expect(stats(dir, 0)).rejects.toThrow('--days must be a whole number')
  })
})
