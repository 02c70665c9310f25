import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import type { Config } from '../config/types.js'
import { type Clock, systemClock } from '../lib/clock.js'
import { capacityAdvice } from '../state/capacity-advice.js'
import { dailyResetZone } from '../state/daily-reset-zone.js'
import { quotaDay } from '../state/quota-day.js'
import { MIGRATIONS } from '../state/store/migrations.js'
import { openSqliteReader } from '../state/store/sqlite-reader.js'
import type { DailySavings, UsageRow } from '../state/store/types.js'
import { VERSION } from '../version.js'
import { CliExit } from './cli-exit.js'
import { formatTable, type TableRow } from './format-table.js'

export interface StatsOverrides extends ConfigOverrides {
  /** How many days back the "last N days" tables reach, today included (default 7). */
  days?: number
}

export interface StatsIo {
  sources: ConfigSources
  out: (text: string) => void
  clock?: Clock
}

const DAY_MS = 86_400_000
export const DEFAULT_STATS_DAYS = 7

const count = (value: number): string => Math.round(value).toLocaleString('en-US')
// Four decimals: a day of free-tier traffic is often worth cents.
const usd = (value: number): string => `$${value.toFixed(4)}`
const perMillion = (value: number): string => `$${value.toFixed(2)}`

interface ModelTotals {
  provider: string
  model: string
  requests: number
  tokensIn: number
  tokensOut: number
}

// Usage is filed under each provider's quota day (Gemini's is Pacific), so "today" is asked per provider.
function sumByModel(rows: readonly UsageRow[], isWanted: (row: UsageRow) => boolean): ModelTotals[] {
  const totals = new Map<string, ModelTotals>()
  for (const row of rows.filter(isWanted)) {
    const key = `${row.provider}\u0000${row.model}`
    const entry = totals.get(key) ?? {
      provider: row.provider,
      model: row.model,
      requests: 0,
      tokensIn: 0,
      tokensOut: 0,
    }
    entry.requests += row.requests
    entry.tokensIn += row.tokensIn
    entry.tokensOut += row.tokensOut
    totals.set(key, entry)
  }
  return [...totals.values()].sort((a, b) => b.requests - a.requests || a.provider.localeCompare(b.provider))
}

function usageTable(totals: readonly ModelTotals[]): string[] {
  if (totals.length === 0) return ['  (no requests)']
  const sum = (pick: (t: ModelTotals) => number): number => totals.reduce((s, t) => s + pick(t), 0)
  const rows: TableRow[] = totals.map((t) => ({
    cells: [t.provider, t.model, count(t.requests), count(t.tokensIn), count(t.tokensOut)],
  }))
  rows.push({
    cells: [
      'total',
      '',
      count(sum((t) => t.requests)),
      count(sum((t) => t.tokensIn)),
      count(sum((t) => t.tokensOut)),
    ],
  })
  return formatTable(
    [
      { header: 'provider' },
      { header: 'model' },
      { header: 'requests', align: 'right' },
      { header: 'tokens in', align: 'right' },
      { header: 'tokens out', align: 'right' },
    ],
    rows,
  )
}

function savingsTable(days: readonly DailySavings[]): string[] {
  if (days.length === 0) return ['  (no requests)']
  const rows: TableRow[] = days.map((d) => ({
    cells: [
      d.day,
      count(d.requests),
      count(d.freeTokensIn),
      count(d.freeTokensOut),
      usd(d.costUsd),
      usd(d.savedUsd),
    ],
  }))
  const sum = (pick: (d: DailySavings) => number): number => days.reduce((s, d) => s + pick(d), 0)
  rows.push({
    cells: [
      'total',
      count(sum((d) => d.requests)),
      count(sum((d) => d.freeTokensIn)),
      count(sum((d) => d.freeTokensOut)),
      usd(sum((d) => d.costUsd)),
      usd(sum((d) => d.savedUsd)),
    ],
  })
  return formatTable(
    [
      { header: 'day (UTC)' },
      { header: 'requests', align: 'right' },
      { header: 'free tokens in', align: 'right' },
      { header: 'free tokens out', align: 'right' },
      { header: 'paid cost', align: 'right' },
      { header: 'saved', align: 'right' },
    ],
    rows,
  )
}

/** How the configured keys of each enabled provider add up, and how to really add capacity. */
function capacityLines(config: Config): string[] {
  const lines = config.providers
    .filter((provider) => provider.enabled && provider.apiKeys.length > 0)
    .map((provider) => `  ${provider.name}: ${capacityAdvice(provider).advice}`)
  return lines.length === 0 ? [] : ['', 'Capacity (keys, quota pools, and how to add capacity)', ...lines]
}

/**
 * `smartsplit stats [--days N]`: usage per provider and model (today and the last N days) and savings per
 * day, read from the SQLite store in the data dir. Read-only, so it works while the server runs.
 */
export async function printStats(overrides: StatsOverrides, io: StatsIo): Promise<void> {
  const days = overrides.days ?? DEFAULT_STATS_DAYS
  if (!Number.isInteger(days) || days < 1)
    throw new CliExit('--days must be a whole number of days, 1 or more')
  const config = loadConfig(overrides, io.sources)
  if (config.store === 'memory') {
    io.out('This configuration keeps its state in memory ("store": "memory"): there are no stored stats.')
    return
  }
  const reader = openSqliteReader(config.dataDir, MIGRATIONS.length)
  if (reader === null) {
    io.out(
      `No usage recorded yet in ${config.dataDir}: SmartSplit creates its database there on its first start.`,
    )
    return
  }
  try {
    const nowMs = (io.clock ?? systemClock).nowMs()
    const firstMs = nowMs - (days - 1) * DAY_MS
    const sinceUtc = quotaDay(firstMs, 'UTC')
    // A day of margin: a provider whose quota day lags UTC (Gemini) filed today's first hours under "yesterday".
    const usage = reader.usageSince(quotaDay(firstMs - DAY_MS, 'UTC'))
    const dayFor = (provider: string, ms: number): string => quotaDay(ms, dailyResetZone(provider))
    const today = sumByModel(usage, (row) => row.day === dayFor(row.provider, nowMs))
    const recent = sumByModel(usage, (row) => row.day >= dayFor(row.provider, firstMs))
    const savings = reader.dailySavings(sinceUtc)
    const reference = config.savingsReference
    io.out(
      [
        `SmartSplit ${VERSION} stats from ${reader.path}`,
        '',
        `Today (${quotaDay(nowMs, 'UTC')}; each provider's own quota day)`,
        ...usageTable(today),
        '',
        `Last ${days} day${days === 1 ? '' : 's'} (since ${sinceUtc})`,
        ...usageTable(recent),
        '  requests and tokens count each upstream call once (fallbacks and the parts of a split request included).',
        '',
        `Savings, last ${days} day${days === 1 ? '' : 's'}`,
        ...savingsTable(savings),
        '',
        `  saved = tokens in × input price + tokens out × output price of the reference model, minus what a`,
        '          paid provider charged (never below 0), summed per request as it was served.',
        `  reference: ${reference.model} at ${perMillion(reference.inputPerMillion)} in / ${perMillion(reference.outputPerMillion)} out per million tokens ("savings" in smartsplit.json)`,
        ...capacityLines(config),
      ].join('\n'),
    )
  } finally {
    reader.close()
  }
}
