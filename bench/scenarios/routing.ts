import type { Mode } from '../../src/config/schema.js'
import type { ProviderConfig } from '../../src/config/types.js'
import { seededRandom } from '../../src/lib/random.js'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import { EVIDENCE_PRIORS } from '../../src/pipeline/route/evidence-priors.generated.js'
import { buildRoutingTable, type RoutingTable } from '../../src/pipeline/route/routing-table.js'
import { DEFAULT_FREE_PRIORITY } from '../../src/providers/catalog.js'
import { providerConfigFixture } from '../../src/state/provider-config-fixture.js'
import { quotaPools } from '../../src/state/quota-pools.js'
import type { TargetView } from '../../src/state/types.js'
import { loadOutcomeViews } from '../routing/outcome-views.js'
import { loadReplayCorpus, type ReplayCorpus } from '../routing/replay-corpus.js'
import {
  ceilings,
  cellsOf,
  chooseReference,
  type Reference,
  type TaskFigures,
  viewFigures,
} from '../routing/replay-metrics.js'
import { replayStream } from '../routing/replay-stream.js'
import { minuteWindowsOnly, type ReplayRun, simulateRouting } from '../routing/simulate-routing.js'
import type { BenchContext } from './context.js'
import { HAND_RANKED_ROWS } from './hand-ranked-rows.js'

// Routing value (issue 23): one simulated working day of one user (a request every 10 s for 8 h; smoke: 1 h)
// through the real analyzer and router in dry run, on a ManualClock, against the real provider state with
// the catalogue's free-tier limits: the evidence priors ("after"), the hand-written table ("before"), both
// in quality mode too, and again with Gemini held to the last free-tier figures the catalogue published for it (what-if), and each
// single free provider. Outcomes are SIMULATED from published aggregate rates (bench/routing/
// replay-corpus.ts), so the replay measures what quotas and ranking cost against those rates, not whether
// the rates predict real prompts; local per-prompt records, where a developer added them, are scored apart.

const HOUR_MS = 60 * 60 * 1000
const START_MS = Date.UTC(2026, 11, 1, 8)
const INTERVAL_MS = 10_000
export const AFTER = 'after: evidence priors'
export const BEFORE = 'before: hand-written table'
/** Gemini's free tier as the catalogue gave it before per-model figures stopped being published. */
export const GEMINI_WHAT_IF = { rpm: 10, rpd: 250 } as const
const GEMINI_LIMITED = `what-if: Gemini at ${GEMINI_WHAT_IF.rpm} RPM / ${GEMINI_WHAT_IF.rpd} RPD per model`

export interface RunQuota {
  run: string
  served: number
  unserved: number
  /** No paid provider is configured in the replay: what no free one could take is unserved, not paid. */
  paidCalls: number
  meanFallbackDepth: number
  calls: Record<string, number>
  /**
   * Calls to models with a daily request limit, as a share of the daily requests the catalogue allows the
   * provider's tier models (null: no daily limit published for any of them).
   */
  dailyShare: Record<string, number | null>
  /** Calls to models whose daily request limit the catalogue does not know. */
  unmeteredCalls: number
}

export interface ViewFiguresRow {
  view: string
  task: TaskType
  kind: 'simulated' | 'recorded'
  outcome: string
  rates: Record<string, number>
  requests: number
  ceilings: ReturnType<typeof ceilings>
  runs: { run: string; figures: TaskFigures }[]
}

export interface RoutingFigures {
  hours: number
  intervalSec: number
  requests: number
  resamples: number
  mode: 'balanced'
  providers: { name: string; fastModel: string; strongModel: string; dailyLimit: number | null }[]
  recorded: ReplayCorpus['recorded']
  reference: Reference
  views: ViewFiguresRow[]
  quota: RunQuota[]
}

/** The daily requests the catalogue allows a provider's tier models, summed over their quota counters. */
function dailyLimitOf(provider: ProviderConfig): number | null {
  const pools = quotaPools([provider])
  const counters = new Map<string, number | null>()
  for (const model of new Set([provider.fastModel, provider.strongModel])) {
    const target = { provider: provider.name, model, keyIndex: 0 }
    counters.set(pools.bucketOf(target), pools.limitsFor(target).rpd)
  }
  const known = [...counters.values()].filter((rpd): rpd is number => rpd !== null)
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0)
}

function quotaOf(run: string, replay: ReplayRun, providers: readonly ProviderConfig[]): RunQuota {
  const served = replay.records.filter((r) => r.served)
  const metered = (name: string): number =>
    replay.buckets.filter((b) => b.provider === name && b.rpd !== null).reduce((sum, b) => sum + b.calls, 0)
  return {
    run,
    served: served.length,
    unserved: replay.records.length - served.length,
    paidCalls: 0,
    meanFallbackDepth: served.reduce((sum, r) => sum + r.fallbackDepth, 0) / Math.max(1, served.length),
    calls: replay.callsByProvider,
    dailyShare: Object.fromEntries(
      providers.map((p) => {
        const limit = dailyLimitOf(p)
        return [p.name, limit === null ? null : metered(p.name) / limit]
      }),
    ),
    unmeteredCalls: replay.buckets.filter((b) => b.rpd === null).reduce((sum, b) => sum + b.calls, 0),
  }
}

export async function runRouting(ctx: BenchContext): Promise<RoutingFigures> {
  const hours = ctx.smoke ? 1 : 8
  const resamples = ctx.smoke ? 200 : 2000
  const corpus = loadReplayCorpus(ctx.root, loadOutcomeViews(ctx.root), seededRandom(17))
  const arrivals = replayStream(corpus, seededRandom(23), {
    startMs: START_MS,
    durationMs: hours * HOUR_MS,
    intervalMs: INTERVAL_MS,
  })
  const providers = DEFAULT_FREE_PRIORITY.filter((name) => name !== 'local').map((name) =>
    providerConfigFixture(name, ['key']),
  )
  const geminiLimited = providers.map((p) =>
    p.name === 'gemini' ? providerConfigFixture('gemini', ['key'], GEMINI_WHAT_IF) : p,
  )
  const simulate = (
    table: RoutingTable,
    among: readonly ProviderConfig[],
    mode: Mode = 'balanced',
    availability?: (view: TargetView) => number,
  ) =>
    simulateRouting({
      mode,
      ...(availability === undefined ? {} : { availability }),
      arrivals,
      providers: among,
      table,
      evidence: EVIDENCE_PRIORS,
      random: seededRandom(5),
      startMs: START_MS,
    })
  const evidenceTable = buildRoutingTable()
  const handTable = buildRoutingTable(HAND_RANKED_ROWS)
  const runs: { run: string; replay: ReplayRun; among: readonly ProviderConfig[] }[] = [
    { run: AFTER, replay: await simulate(evidenceTable, providers), among: providers },
    { run: BEFORE, replay: await simulate(handTable, providers), among: providers },
    {
      run: `${AFTER}, quality mode`,
      replay: await simulate(evidenceTable, providers, 'quality'),
      among: providers,
    },
    {
      run: `${BEFORE}, quality mode`,
      replay: await simulate(handTable, providers, 'quality'),
      among: providers,
    },
    {
      run: `${AFTER}, ${GEMINI_LIMITED}`,
      replay: await simulate(evidenceTable, geminiLimited),
      among: geminiLimited,
    },
    {
      run: `${BEFORE}, ${GEMINI_LIMITED}`,
      replay: await simulate(handTable, geminiLimited),
      among: geminiLimited,
    },
    {
      run: `${AFTER}, ${GEMINI_LIMITED}, daily quota not rationed`,
      replay: await simulate(evidenceTable, geminiLimited, 'balanced', minuteWindowsOnly),
      among: geminiLimited,
    },
    ...(await Promise.all(
      providers.map(async (p) => ({
        run: `only ${p.name}`,
        replay: await simulate(evidenceTable, [p]),
        among: [p],
      })),
    )),
  ]
  const callable = [
    ...new Set(
      providers
        .flatMap((p) => [p.fastModel, p.strongModel])
        .filter((model) => !Object.hasOwn(EVIDENCE_PRIORS.pools, model))
        .map((model) => EVIDENCE_PRIORS.aliases[model] ?? model),
    ),
  ].sort()
  const all = runs[0]!.replay.records
  const reference = chooseReference(
    corpus.views.flatMap((view) => cellsOf(all, view.id)),
    callable,
  )
  const random = seededRandom(2023)
  const views = corpus.views.map((view) => {
    const cells = cellsOf(all, view.id)
    return {
      view: view.id,
      task: view.task,
      kind: view.kind,
      outcome: view.outcome,
      rates: Object.fromEntries(view.rates),
      requests: cells.length,
      ceilings: ceilings(cells, reference, callable),
      runs: runs.map(({ run, replay }) => ({
        run,
        figures: viewFigures(cellsOf(replay.records, view.id), reference, { random, resamples }),
      })),
    }
  })
  ctx.log(`  ${arrivals.length} requests over ${hours} h, ${runs.length} policies, ${views.length} views`)
  return {
    hours,
    intervalSec: INTERVAL_MS / 1000,
    requests: arrivals.length,
    resamples,
    mode: 'balanced',
    providers: providers.map((p) => ({
      name: p.name,
      fastModel: p.fastModel,
      strongModel: p.strongModel,
      dailyLimit: dailyLimitOf(p),
    })),
    recorded: corpus.recorded,
    reference,
    views,
    quota: runs.map(({ run, replay, among }) => quotaOf(run, replay, among)),
  }
}
