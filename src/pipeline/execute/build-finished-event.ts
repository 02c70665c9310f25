import type { RequestFinished } from '../../metrics/types.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { decideAffinity } from '../affinity/decide-affinity.js'
import { routeTaskOf } from '../analyze/route-task-of.js'
import type { AttemptRecord } from '../attempts.js'
import type { Candidate } from '../route/types.js'
import type { RoutePlan } from '../types.js'
import type { StreamSummary } from './observe-chunks.js'

export interface FinishedFacts {
  requestId: string | null
  path: string
  request: ChatRequest
  plan: RoutePlan
  /** The task of each part of a split request; the plan's task otherwise. */
  tasks?: string[]
  candidate: Candidate | null
  attempts: readonly AttemptRecord[]
  summary: StreamSummary | null
  receivedAtMs: number
  upstreamStartMs: number
  nowMs: number
  qualityPassed: boolean
  logPrompts: boolean
}

/** One finished request; its tokens are the sum of what each call consumed (parts, synthesis, retries). */
export function buildFinishedEvent(facts: FinishedFacts): RequestFinished {
  let tokensIn = 0
  let tokensOut = 0
  let tokensCached = 0
  let tokensEstimated = false
  for (const attempt of facts.attempts) {
    if (attempt.usage === undefined) continue
    tokensIn += attempt.usage.tokensIn
    tokensOut += attempt.usage.tokensOut
    tokensCached += attempt.usage.cachedTokens
    tokensEstimated ||= attempt.usage.estimated
  }
  const lastUser = facts.request.messages.findLast((m) => m.role === 'user')
  const affinity = decideAffinity(facts.plan.affinity, facts.candidate, facts.attempts)
  return {
    requestId: facts.requestId,
    timeMs: facts.nowMs,
    path: facts.path,
    route: facts.plan.route,
    mode: facts.plan.mode,
    tasks: facts.tasks ?? [routeTaskOf(facts.plan.analysis)],
    provider: facts.candidate?.provider.name ?? null,
    model: facts.candidate?.model ?? null,
    isPaid: facts.candidate?.provider.tier === 'paid',
    attempts: facts.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      keyIndex: a.keyIndex,
      outcome: a.outcome,
      latencyMs: a.latencyMs,
      tokensIn: a.usage?.tokensIn ?? 0,
      tokensOut: a.usage?.tokensOut ?? 0,
      tokensCached: a.usage?.cachedTokens ?? 0,
    })),
    tokensIn,
    tokensOut,
    tokensCached,
    tokensEstimated,
    latencyMs: facts.nowMs - facts.receivedAtMs,
    firstTokenMs:
      facts.summary?.firstTokenMs == null ? null : facts.summary.firstTokenMs - facts.receivedAtMs,
    overheadMs: facts.upstreamStartMs - facts.receivedAtMs,
    outcome: facts.summary?.outcome ?? 'error',
    affinity:
      affinity === null
        ? null
        : { decision: affinity.decision, reason: affinity.decision === 'moved' ? affinity.reason : null },
    qualityPassed: facts.qualityPassed,
    prompt: facts.logPrompts && lastUser !== undefined ? JSON.stringify(lastUser.content) : null,
  }
}
