import type { RequestFinished } from '../metrics/types.js'
import type { ChatRequest } from '../wire/openai/types.js'
import { countPromptTokens, countTextTokens, estimatePromptTokens } from './count-prompt-tokens.js'
import type { StreamSummary } from './execute/observe-chunks.js'
import type { AttemptRecord } from './execute/types.js'
import type { Candidate } from './route/types.js'
import type { RoutePlan } from './run.js'

export interface FinishedFacts {
  requestId: string | null
  path: string
  request: ChatRequest
  plan: RoutePlan
  candidate: Candidate | null
  attempts: readonly AttemptRecord[]
  summary: StreamSummary | null
  receivedAtMs: number
  upstreamStartMs: number
  nowMs: number
  qualityPassed: boolean
  logPrompts: boolean
}

/** Real token counts from the provider's usage; otherwise the tokenizer's, marked as estimated. */
export function buildFinishedEvent(facts: FinishedFacts): RequestFinished {
  const usage = facts.summary?.usage ?? null
  // The tokenizer only for answers that completed without usage: a stream the client left or that broke
  // is counted by the cheap estimate (loading the tokenizer costs ~65 MB, not worth it for a guess).
  const isComplete = facts.summary?.outcome === 'ok'
  const tokensIn =
    usage?.prompt_tokens ??
    (facts.candidate === null
      ? 0
      : isComplete
        ? countPromptTokens(facts.request)
        : estimatePromptTokens(facts.request))
  const outputText = facts.summary?.text ?? ''
  const tokensOut =
    usage?.completion_tokens ??
    (isComplete ? countTextTokens(outputText) : Math.ceil(outputText.length / 3.5))
  const lastUser = [...facts.request.messages].reverse().find((m) => m.role === 'user')
  return {
    requestId: facts.requestId,
    timeMs: facts.nowMs,
    path: facts.path,
    route: facts.plan.route,
    mode: facts.plan.mode,
    tasks: [facts.plan.analysis.task],
    provider: facts.candidate?.provider.name ?? null,
    model: facts.candidate?.model ?? null,
    isPaid: facts.candidate?.provider.tier === 'paid',
    attempts: facts.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      keyIndex: a.keyIndex,
      outcome: a.outcome,
      latencyMs: a.latencyMs,
    })),
    tokensIn,
    tokensOut,
    tokensEstimated: usage === null,
    latencyMs: facts.nowMs - facts.receivedAtMs,
    firstTokenMs:
      facts.summary?.firstTokenMs == null ? null : facts.summary.firstTokenMs - facts.receivedAtMs,
    overheadMs: facts.upstreamStartMs - facts.receivedAtMs,
    outcome: facts.summary?.outcome ?? 'error',
    qualityPassed: facts.qualityPassed,
    prompt: facts.logPrompts && lastUser !== undefined ? JSON.stringify(lastUser.content) : null,
  }
}
