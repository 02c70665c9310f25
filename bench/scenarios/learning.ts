import { seededRandom } from '../../src/lib/random.js'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import { rankCandidates } from '../../src/pipeline/route/rank-candidates.js'
import { buildRoutingTable } from '../../src/pipeline/route/routing-table.js'
import { Bandit, rewardFor } from '../../src/state/learning/bandit.js'
import { providerConfigFixture } from '../../src/state/provider-config-fixture.js'
import type { BenchContext } from './context.js'
import { HAND_RANKED_ROWS } from './hand-ranked-rows.js'

// Learning regret (issue 7): the real Bandit and rankCandidates (the hand-ranked table as the prior)
// route a seeded stream of code / general / summarize requests to simulated providers whose success rate
// and latency change halfway (Cerebras degrades everywhere, Gemini gets good at code). A failed first
// choice falls back down the ranking, and every attempt is rewarded as record-outcomes.ts does. Regret
// is measured against the best provider of the current phase, for SmartSplit, for an oracle that knows
// the best *fixed* provider per task (target: ours ≤ 1.2× its regret), and for the table without learning.

const PROVIDERS = ['cerebras', 'gemini', 'openrouter', 'groq', 'mistral'] as const
const TASKS: TaskType[] = ['code', 'general', 'summarize']
type Provider = (typeof PROVIDERS)[number]
type Truth = Record<string, Record<Provider, { p: number; latencyMs: number }>>

const arm = (p: number, latencyMs: number) => ({ p, latencyMs })
const PHASE_1: Truth = {
  code: {
    cerebras: arm(0.9, 600),
    gemini: arm(0.85, 1500),
    openrouter: arm(0.95, 2000),
    groq: arm(0.88, 500),
    mistral: arm(0.8, 900),
  },
  general: {
    cerebras: arm(0.95, 500),
    gemini: arm(0.9, 700),
    openrouter: arm(0.7, 2000),
    groq: arm(0.93, 400),
    mistral: arm(0.85, 600),
  },
  summarize: {
    cerebras: arm(0.6, 500),
    gemini: arm(0.9, 800),
    openrouter: arm(0.8, 1800),
    groq: arm(0.92, 400),
    mistral: arm(0.85, 700),
  },
}
const PHASE_2: Truth = {
  code: { ...PHASE_1.code!, cerebras: arm(0.4, 600), gemini: arm(0.97, 500) },
  general: { ...PHASE_1.general!, cerebras: arm(0.4, 500) },
  summarize: { ...PHASE_1.summarize!, cerebras: arm(0.4, 500) },
}
/** The latency the speed bonus is measured against in the truth (the learner uses its own running typical). */
const REFERENCE_LATENCY_MS = 800

export interface LearningFigures {
  requests: number
  changeAt: number
  regret: { smartsplit: number; fixedOracle: number; tableOnly: number }
  /** SmartSplit's regret over the fixed oracle's (target ≤ 1.2). */
  ratio: number
  /** Requests after the change until the new best provider is chosen for 10 requests in a row of each task whose best changed. */
  requestsToDetect: number | null
}

const meanReward = (truth: Truth, task: string, provider: Provider): number => {
  const { p, latencyMs } = truth[task]![provider]
  return p * (0.7 + 0.3 * Math.min(1, REFERENCE_LATENCY_MS / latencyMs))
}
const bestOf = (truth: Truth, task: string): Provider =>
  PROVIDERS.reduce((best, name) =>
    meanReward(truth, task, name) > meanReward(truth, task, best) ? name : best,
  )

export async function runLearning(ctx: BenchContext): Promise<LearningFigures> {
  const requests = ctx.smoke ? 600 : 4000
  const changeAt = requests / 2
  const random = seededRandom(7)
  const providers = PROVIDERS.map((name) => providerConfigFixture(name, ['key']))
  const table = buildRoutingTable(HAND_RANKED_ROWS)
  const bandit = new Bandit()
  const typicalLatencyMs = new Map<string, number>()
  const rank = (task: TaskType, learn: boolean) =>
    rankCandidates({
      analysis: { task, complexity: 'medium', isBackgroundCall: false },
      mode: 'balanced',
      providers,
      table,
      required: { tools: false, vision: false, jsonMode: false, contextTokens: 1000 },
      nowMs: 0,
      ...(learn ? { learned: (t, p, m, prior) => bandit.quality(t, p, m, prior) } : {}),
    }).candidates
  // The oracle's fixed choice: the best expected reward over both phases together.
  const fixed = new Map(
    TASKS.map((task) => [
      task,
      PROVIDERS.reduce((best, name) =>
        meanReward(PHASE_1, task, name) + meanReward(PHASE_2, task, name) >
        meanReward(PHASE_1, task, best) + meanReward(PHASE_2, task, best)
          ? name
          : best,
      ),
    ]),
  )
  const regret = { smartsplit: 0, fixedOracle: 0, tableOnly: 0 }
  const changed = TASKS.filter((task) => bestOf(PHASE_1, task) !== bestOf(PHASE_2, task))
  const streak = new Map(changed.map((task) => [task, 0]))
  const detectedAt = new Map<string, number>()

  for (let i = 0; i < requests; i++) {
    const truth = i < changeAt ? PHASE_1 : PHASE_2
    const task = TASKS[Math.floor(random.next() * TASKS.length)]!
    const best = meanReward(truth, task, bestOf(truth, task))
    const candidates = rank(task, true)
    const first = candidates[0]!.provider.name as Provider
    regret.smartsplit += best - meanReward(truth, task, first)
    regret.fixedOracle += best - meanReward(truth, task, fixed.get(task)!)
    regret.tableOnly += best - meanReward(truth, task, rank(task, false)[0]!.provider.name as Provider)
    // Serve it: down the chain until a provider succeeds, rewarding every attempt.
    for (const candidate of candidates) {
      const { p, latencyMs: meanMs } = truth[task]![candidate.provider.name as Provider]
      const ok = random.next() < p
      const latencyMs = meanMs * (0.75 + 0.5 * random.next())
      const typical = typicalLatencyMs.get(task) ?? latencyMs
      bandit.record(
        task,
        candidate.provider.name,
        candidate.model,
        rewardFor({ ok, qualityPassed: true, latencyMs, typicalLatencyMs: typical }),
      )
      if (!ok) continue
      typicalLatencyMs.set(task, typical * 0.9 + latencyMs * 0.1)
      break
    }
    if (i >= changeAt && streak.has(task) && !detectedAt.has(task)) {
      const run = first === bestOf(PHASE_2, task) ? streak.get(task)! + 1 : 0
      streak.set(task, run)
      if (run >= 10) detectedAt.set(task, i - changeAt + 1)
    }
  }
  const requestsToDetect = detectedAt.size === changed.length ? Math.max(0, ...detectedAt.values()) : null
  const figures: LearningFigures = {
    requests,
    changeAt,
    regret,
    ratio: regret.fixedOracle > 0 ? regret.smartsplit / regret.fixedOracle : Number.POSITIVE_INFINITY,
    requestsToDetect,
  }
  ctx.log(
    `  learning: regret ${regret.smartsplit.toFixed(1)} vs fixed oracle ${regret.fixedOracle.toFixed(1)} ` +
      `(${figures.ratio.toFixed(2)}×), table only ${regret.tableOnly.toFixed(1)}; change detected after ` +
      `${requestsToDetect ?? 'never'} requests`,
  )
  return figures
}
