import type { Mode } from '../../src/config/schema.js'
import type { ProviderConfig } from '../../src/config/types.js'
import { seededRandom } from '../../src/lib/random.js'
import { TASK_TYPES, type TaskType } from '../../src/pipeline/analyze/types.js'
import { EVIDENCE_PRIORS } from '../../src/pipeline/route/evidence-priors.generated.js'
import { buildRoutingTable, type RoutingTable } from '../../src/pipeline/route/routing-table.js'
import { DEFAULT_FREE_PRIORITY } from '../../src/providers/catalog.js'
import { providerConfigFixture } from '../../src/state/provider-config-fixture.js'
import type { TargetView } from '../../src/state/types.js'
import { loadReplayCorpus, type ReplaySource } from '../routing/replay-corpus.js'
import {
  ceilings,
  chooseReference,
  type Reference,
  type TaskFigures,
  taskFigures,
} from '../routing/replay-metrics.js'
import { replayStream } from '../routing/replay-stream.js'
import { minuteWindowsOnly, type ReplayRun, simulateRouting } from '../routing/simulate-routing.js'
import type { BenchContext } from './context.js'
import { HAND_RANKED_ROWS } from './hand-ranked-rows.js'

// Routing value (issue 23): one simulated working day of one user (a request every 10 s for 8 h; smoke: 1 h)
// through the real analyzer and router in dry run, on a ManualClock, against the real provider state with
// the catalogue's free-tier limits, once with the evidence priors ("after"), once with the hand-written
// table ("before"), both again without Mistral (whose models no record covers) in balanced and quality
// mode, and once per single free provider. Quality comes from public per-item records; see
// bench/routing/replay-corpus.ts for what is covered and what is not.

const HOUR_MS = 60 * 60 * 1000
const START_MS = Date.UTC(2026, 11, 1, 8)
const INTERVAL_MS = 10_000
export const AFTER = 'after: evidence priors'
export const BEFORE = 'before: hand-written table'

export interface RunQuota {
  run: string
  served: number
  unserved: number
  /** No paid provider is configured in the replay: what no free one could take is unserved, not paid. */
  paidCalls: number
  meanFallbackDepth: number
  calls: Record<string, number>
  /** Calls as a share of the requests per day the state allows the provider's models (null: no limit set). */
  dailyShare: Record<string, number | null>
}

export interface RoutingFigures {
  hours: number
  intervalSec: number
  requests: number
  resamples: number
  mode: 'balanced'
  providers: {
    name: string
    fastModel: string
    strongModel: string
    rpm: number | null
    rpd: number | null
  }[]
  sources: ReplaySource[]
  reference: Reference
  tasks: {
    task: TaskType
    requests: number
    ceilings: ReturnType<typeof ceilings>
    runs: { run: string; figures: TaskFigures }[]
  }[]
  quota: RunQuota[]
}

function quotaOf(run: string, replay: ReplayRun, providers: readonly ProviderConfig[]): RunQuota {
  const served = replay.records.filter((r) => r.served)
  return {
    run,
    served: served.length,
    unserved: replay.records.length - served.length,
    paidCalls: 0,
    meanFallbackDepth: served.reduce((sum, r) => sum + r.fallbackDepth, 0) / Math.max(1, served.length),
    calls: replay.callsByProvider,
    // The state counts the catalogue's provider limits per model, so a provider's day holds rpd per model.
    dailyShare: Object.fromEntries(
      providers.map((p) => [
        p.name,
        p.limits.rpd === null
          ? null
          : (replay.callsByProvider[p.name] ?? 0) /
            (p.limits.rpd * new Set([p.fastModel, p.strongModel]).size),
      ]),
    ),
  }
}

export async function runRouting(ctx: BenchContext): Promise<RoutingFigures> {
  const hours = ctx.smoke ? 1 : 8
  const resamples = ctx.smoke ? 200 : 2000
  const corpus = loadReplayCorpus(ctx.root)
  const arrivals = replayStream(corpus, seededRandom(23), {
    startMs: START_MS,
    durationMs: hours * HOUR_MS,
    intervalMs: INTERVAL_MS,
  })
  const providers = DEFAULT_FREE_PRIORITY.filter((name) => name !== 'local').map((name) =>
    providerConfigFixture(name, ['key']),
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
  // No per-item record covers Mistral's models: the same day without Mistral shows the routing where it
  // can be scored.
  const covered = providers.filter((p) => p.name !== 'mistral')
  const runs: { run: string; replay: ReplayRun; among: readonly ProviderConfig[] }[] = [
    { run: AFTER, replay: await simulate(evidenceTable, providers), among: providers },
    { run: BEFORE, replay: await simulate(handTable, providers), among: providers },
    { run: `${AFTER}, no Mistral`, replay: await simulate(evidenceTable, covered), among: covered },
    { run: `${BEFORE}, no Mistral`, replay: await simulate(handTable, covered), among: covered },
    {
      run: `${AFTER}, no Mistral, quality mode`,
      replay: await simulate(evidenceTable, covered, 'quality'),
      among: covered,
    },
    {
      run: `${BEFORE}, no Mistral, quality mode`,
      replay: await simulate(handTable, covered, 'quality'),
      among: covered,
    },
    {
      run: `${AFTER}, no Mistral, what-if: daily quota not rationed`,
      replay: await simulate(evidenceTable, covered, 'balanced', minuteWindowsOnly),
      among: covered,
    },
    {
      run: `${BEFORE}, no Mistral, what-if: daily quota not rationed`,
      replay: await simulate(handTable, covered, 'balanced', minuteWindowsOnly),
      among: covered,
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
  const reference = chooseReference(all, callable)
  const random = seededRandom(2023)
  const tasks = TASK_TYPES.map((task) => ({
    task,
    requests: all.filter((r) => r.task === task).length,
    ceilings: ceilings(all, task, reference, callable),
    runs: runs.map(({ run, replay }) => ({
      run,
      figures: taskFigures(replay.records, task, reference, { random, resamples }),
    })),
  }))
  ctx.log(`  ${arrivals.length} requests over ${hours} h, ${runs.length} policies`)
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
      rpm: p.limits.rpm,
      rpd: p.limits.rpd,
    })),
    sources: corpus.sources,
    reference,
    tasks,
    quota: runs.map(({ run, replay, among }) => quotaOf(run, replay, among)),
  }
}
