import type { Metrics } from '../metrics/metrics.js'
import { costAndSavings, type TokenPrice } from '../metrics/prices.js'
import { EMBEDDINGS_TASK, type RequestFinished } from '../metrics/types.js'
import { dailyResetZone } from './daily-reset-zone.js'
import { type Bandit, rewardFor } from './learning/bandit.js'
import { quotaDay } from './quota-day.js'
import type { Store } from './store/types.js'

export interface OutcomeSinks {
  metrics: Metrics
  store: Store
  bandit: Bandit
  reference: TokenPrice
  /** Typical latency per task (EWMA), the yardstick for the learner's speed reward. */
  typicalLatencyMs: Map<string, number>
}

/**
 * Everything that learns from a finished request, in one place: counters, the persistent request log and
 * usage, and the bandit's rewards for each attempt (a failed attempt is as informative as a success).
 * The store only queues here; it writes in batches off the hot path.
 */
export function recordOutcome(sinks: OutcomeSinks, event: RequestFinished): void {
  const task = event.tasks[0] ?? 'general'
  // The savings reference is a chat model's price: embeddings are counted, not priced or learned from.
  const isEmbedding = task === EMBEDDINGS_TASK
  const { costUsd, savedUsd } =
    event.outcome === 'ok' && event.provider !== null && !isEmbedding
      ? costAndSavings(event.tokensIn, event.tokensOut, event.isPaid, event.model ?? '', sinks.reference)
      : { costUsd: 0, savedUsd: 0 }
  sinks.metrics.record(event, { costUsd, savedUsd })
  sinks.store.recordRequest({
    requestId: event.requestId,
    endpoint: event.requestId === null ? null : event.path,
    timeMs: event.timeMs,
    route: event.route,
    mode: event.mode,
    tasks: event.tasks,
    providersTried: event.attempts.map((a) => `${a.provider}/${a.model}=${a.outcome}`),
    attempts: event.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      keyIndex: a.keyIndex,
      outcome: a.outcome,
      latencyMs: Math.round(a.latencyMs),
    })),
    provider: event.provider,
    model: event.model,
    tokensIn: event.tokensIn,
    tokensOut: event.tokensOut,
    tokensEstimated: event.tokensEstimated,
    latencyMs: event.latencyMs,
    firstTokenMs: event.firstTokenMs,
    outcome: event.outcome,
    costUsd,
    savedUsd,
    prompt: event.prompt,
    // Added by the HTTP layer once the response is done (noteResponse).
    status: null,
    client: null,
  })
  for (const attempt of event.attempts) {
    // A skipped target was never called: nothing to count and nothing learned.
    if (attempt.outcome === 'skipped') continue
    const isAnswer =
      attempt.outcome === 'ok' && attempt.provider === event.provider && attempt.model === event.model
    sinks.store.addUsage({
      // The provider's quota day (Gemini's resets at midnight Pacific), so daily counts line up with its quota.
      day: quotaDay(event.timeMs, dailyResetZone(attempt.provider)),
      provider: attempt.provider,
      model: attempt.model,
      keyIndex: attempt.keyIndex,
      requests: 1,
      // Each call's own usage: a split request's parts and synthesis each count once, on their own model.
      tokensIn: attempt.tokensIn,
      tokensOut: attempt.tokensOut,
      tokensCached: attempt.tokensCached,
    })
    // A client that walked away says nothing about the provider. Neither does a request every provider
    // tried rejected as invalid: it is the client's; one that another provider then answered is not.
    if ((event.outcome === 'client_gone' && isAnswer) || isEmbedding) continue
    if (attempt.outcome === 'bad_request' && event.outcome !== 'ok') continue
    const typical = sinks.typicalLatencyMs.get(task) ?? attempt.latencyMs
    const ok = attempt.outcome === 'ok' && (!isAnswer || event.outcome === 'ok')
    sinks.bandit.record(
      task,
      attempt.provider,
      attempt.model,
      rewardFor({
        ok,
        qualityPassed: event.qualityPassed,
        latencyMs: attempt.latencyMs,
        typicalLatencyMs: typical,
      }),
    )
    if (ok) sinks.typicalLatencyMs.set(task, typical * 0.9 + attempt.latencyMs * 0.1)
  }
}
