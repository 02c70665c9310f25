import { EMBEDDINGS_TASK } from '../../metrics/types.js'
import type { AttemptRecord } from '../attempts.js'
import type { OutcomeSink } from '../ports.js'
import type { RequestOrigin } from '../types.js'
import type { EmbeddingTarget } from './resolve-embedding-model.js'

interface EmbeddingFacts {
  origin: RequestOrigin
  target: EmbeddingTarget
  attempts: readonly AttemptRecord[]
  upstreamStartMs: number
  outcome: 'ok' | 'error' | 'client_gone'
}

/** Tells the outcome sink about a finished embeddings request, as the chat path does for answers. */
export function reportEmbedding(
  facts: EmbeddingFacts,
  deps: { outcomes: OutcomeSink; clock: { nowMs(): number }; settings: { mode: string } },
): void {
  const nowMs = deps.clock.nowMs()
  const answered = facts.outcome === 'ok'
  let tokensIn = 0
  let estimated = false
  for (const attempt of facts.attempts) {
    tokensIn += attempt.usage?.tokensIn ?? 0
    estimated ||= attempt.usage?.estimated === true
  }
  deps.outcomes.requestFinished({
    requestId: facts.origin.requestId ?? null,
    timeMs: nowMs,
    path: facts.origin.path,
    route: 'respond',
    mode: deps.settings.mode,
    tasks: [EMBEDDINGS_TASK],
    provider: answered ? facts.target.provider.name : null,
    model: answered ? facts.target.model : null,
    isPaid: facts.target.provider.tier === 'paid',
    attempts: facts.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      keyIndex: a.keyIndex,
      outcome: a.outcome,
      latencyMs: a.latencyMs,
      tokensIn: a.usage?.tokensIn ?? 0,
      tokensOut: 0,
      tokensCached: 0,
    })),
    tokensIn,
    tokensOut: 0,
    tokensCached: 0,
    tokensEstimated: estimated,
    latencyMs: nowMs - facts.origin.receivedAtMs,
    firstTokenMs: null,
    overheadMs: facts.upstreamStartMs - facts.origin.receivedAtMs,
    outcome: facts.outcome,
    affinity: null,
    qualityPassed: true,
    prompt: null,
  })
}
