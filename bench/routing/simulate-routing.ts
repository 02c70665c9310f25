import type { Mode } from '../../src/config/schema.js'
import type { ProviderConfig } from '../../src/config/types.js'
import { ManualClock } from '../../src/lib/clock.js'
import type { Random } from '../../src/lib/random.js'
import { analyzeRequest } from '../../src/pipeline/analyze/analyze-request.js'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import type { EvidencePriors } from '../../src/pipeline/route/evidence-priors.js'
import { rankCandidates } from '../../src/pipeline/route/rank-candidates.js'
import { requiredCapabilities } from '../../src/pipeline/route/required-capabilities.js'
import type { RoutingTable } from '../../src/pipeline/route/routing-table.js'
import { createProviderState } from '../../src/state/provider-state.js'
import { quotaPools } from '../../src/state/quota-pools.js'
import type { TargetView } from '../../src/state/types.js'
import type { ChatRequest } from '../../src/wire/openai/types.js'
import type { Arrival } from './replay-stream.js'

// The real analyzer and router in dry run: each arrival is analyzed, ranked against a snapshot of the real
// provider state (quotas from the providers' configured limits) on a ManualClock, and "answered" by the
// first candidate the state gives a slot to. No HTTP, no model: the answer's outcome is looked up in the
// item's outcomes for the model that answered (for a pool, a member drawn at random, as the pool does).

/** Output budget counted against token quotas, as required-capabilities.ts assumes by default. */
const OUTPUT_TOKENS = 1024

export interface ReplayRecord {
  /** The task the item's source gives it. */
  task: TaskType
  /** The task the analyzer gave it. */
  routedTask: TaskType
  served: boolean
  provider: string | null
  model: string | null
  /** Canonical id of the model that answered (a pool member for a pool). */
  answered: string | null
  /** Candidates skipped for lack of capacity before the one that answered. */
  fallbackDepth: number
  /** The item's outcome per view and model, for the answer and the baselines. */
  outcomes: ReadonlyMap<string, ReadonlyMap<string, number>>
}

/** Calls that drew on one quota counter (per model, or per provider where its models share limits). */
export interface BucketUse {
  provider: string
  calls: number
  /** The counter's daily request limit in the catalogue (null: none published). */
  rpd: number | null
}

export interface ReplayRun {
  records: ReplayRecord[]
  callsByProvider: Record<string, number>
  buckets: BucketUse[]
}

export async function simulateRouting(input: {
  arrivals: readonly Arrival[]
  providers: readonly ProviderConfig[]
  table: RoutingTable
  evidence: EvidencePriors
  random: Random
  startMs: number
  mode: Mode
  /** How the router reads a target's availability; the state's own score unless a what-if says otherwise. */
  availability?: (view: TargetView) => number
}): Promise<ReplayRun> {
  const readAvailability = input.availability ?? ((view: TargetView) => view.score)
  const clock = new ManualClock(input.startMs)
  const state = createProviderState({ clock, providers: input.providers })
  const calls: Record<string, number> = Object.fromEntries(input.providers.map((p) => [p.name, 0]))
  const pools = quotaPools(input.providers)
  const buckets = new Map<string, BucketUse>()
  const canonical = (model: string): string => {
    const pool = Object.hasOwn(input.evidence.pools, model) ? input.evidence.pools[model] : undefined
    if (pool !== undefined) return pool[Math.floor(input.random.next() * pool.length)] ?? model
    return Object.hasOwn(input.evidence.aliases, model) ? (input.evidence.aliases[model] ?? model) : model
  }
  const answer = async ({ atMs, item }: Arrival): Promise<ReplayRecord> => {
    clock.advance(atMs - clock.nowMs())
    const request: ChatRequest = { model: 'smartsplit', messages: [{ role: 'user', content: item.prompt }] }
    const analysis = analyzeRequest(request)
    const snapshot = await state.coordination.snapshot()
    const tokens = analysis.estimatedPromptTokens + OUTPUT_TOKENS
    const { candidates } = rankCandidates({
      analysis,
      mode: input.mode,
      providers: input.providers,
      table: input.table,
      required: requiredCapabilities(request, analysis.estimatedPromptTokens),
      availability: (provider, model, keyIndex) =>
        readAvailability(snapshot.view({ provider, model, keyIndex })),
      nowMs: clock.nowMs(),
    })
    const base = { task: item.task, routedTask: analysis.task, outcomes: item.outcomes }
    for (const [depth, candidate] of candidates.entries()) {
      const target = { provider: candidate.provider.name, model: candidate.model, keyIndex: 0 }
      const admission = await state.coordination.admit(target, tokens)
      if ('refused' in admission) continue
      admission.lease.settle({ outcome: 'ok', usageTokens: tokens })
      calls[target.provider] = (calls[target.provider] ?? 0) + 1
      const bucket = buckets.get(pools.bucketOf(target)) ?? {
        provider: target.provider,
        calls: 0,
        rpd: pools.limitsFor(target).rpd,
      }
      buckets.set(pools.bucketOf(target), { ...bucket, calls: bucket.calls + 1 })
      return {
        ...base,
        served: true,
        provider: target.provider,
        model: target.model,
        answered: canonical(candidate.model),
        fallbackDepth: depth,
      }
    }
    return {
      ...base,
      served: false,
      provider: null,
      model: null,
      answered: null,
      fallbackDepth: candidates.length,
    }
  }
  const records: ReplayRecord[] = []
  for (const arrival of input.arrivals) records.push(await answer(arrival))
  return { records, callsByProvider: calls, buckets: [...buckets.values()] }
}

/**
 * What-if: a target is fully available until a window runs out, except the per-minute windows, which still
 * spread a burst. The state's score also shrinks with the share of the day's quota spent, which keeps the
 * best model's quota half unused at the end of a working day (see BENCHMARKS.md).
 */
export function minuteWindowsOnly(view: TargetView): number {
  if (!view.isUsable) return 0
  const fraction = (left: number | null, limit: number | null): number =>
    left === null || limit === null || limit <= 0 ? 1 : Math.min(1, left / limit)
  return Math.min(
    fraction(view.remaining.requestsMinute, view.limits.rpm),
    fraction(view.remaining.tokensMinute, view.limits.tpm),
  )
}
