// The journey of one chat request:
//
//   request ─► plan route ─► candidates (ordered fallback chain)
//                               │
//                               ▼
//            open first available (peek first chunk; fall back on connect error, timeout, 429, 5xx,
//                               │   malformed first chunk — invisible to the client)
//                               ▼
//            stamp chunks (one id, one created, the answering model) ─► http/ streams or collects them
//
// Non-streaming requests are collected here, so even a failure halfway through an answer falls back.

import type { Mode } from '../config/schema.js'
import type { ProviderConfig } from '../config/types.js'
import { InvalidRequestError, NoProvidersConfiguredError, UpstreamError } from '../errors.js'
import { ClientGoneError } from '../lib/abort.js'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import { CompletionCollector } from '../wire/collect.js'
import type { ChatChunk, ChatCompletion, ChatRequest } from '../wire/openai/types.js'
import { type OpenDeps, openFirstAvailable } from './execute/open-first-available.js'
import { stampChunks } from './execute/stamp-chunks.js'
import type { AttemptRecord } from './execute/types.js'
import { parseModelId } from './route/parse-model-id.js'
import { pickCandidates } from './route/pick-candidates.js'
import type { Candidate } from './route/types.js'

export interface RunContext {
  providers: readonly ProviderConfig[]
  mode: Mode
  open: OpenDeps
  clock: Clock
  random: Random
}

export interface RoutePlan {
  mode: Mode
  candidates: Candidate[]
}

export interface StreamOutcome {
  candidate: Candidate
  attempts: AttemptRecord[]
  chunks: AsyncGenerator<ChatChunk>
}

export interface CollectedOutcome {
  candidate: Candidate
  attempts: AttemptRecord[]
  completion: ChatCompletion
}

function noProvidersMessage(providers: readonly ProviderConfig[]): string {
  const hints = providers
    .filter((p) => p.tier === 'free' && p.keyEnv !== null)
    .slice(0, 5)
    .map((p) => `${p.keyEnv} (${p.keyUrl})`)
    .join(', ')
  return `No LLM provider is configured. Set at least one free key and restart SmartSplit: ${hints}; or add providers to smartsplit.json.`
}

export function planRoute(request: ChatRequest, ctx: RunContext): RoutePlan {
  const known = new Set(ctx.providers.map((p) => p.name))
  const selection = parseModelId(request.model, known)
  const mode = selection.kind === 'auto' ? (selection.mode ?? ctx.mode) : ctx.mode
  if (!ctx.providers.some((p) => p.enabled))
    throw new NoProvidersConfiguredError(noProvidersMessage(ctx.providers))
  const candidates = pickCandidates(ctx.providers, selection)
  if (candidates.length === 0 && selection.kind === 'pinned') {
    const provider = ctx.providers.find((p) => p.name === selection.provider)
    throw new InvalidRequestError(
      `The model '${request.model}' cannot be used: provider '${selection.provider}' is not enabled (${provider?.disabledReason ?? 'unknown'}). Use "smartsplit" for automatic routing or see GET /v1/models.`,
      { param: 'model', code: 'model_not_found', status: 404 },
    )
  }
  return { mode, candidates }
}

function newStamp(
  ctx: RunContext,
  candidate: Candidate,
): { id: string; created: number; fallbackModel: string } {
  return {
    id: `chatcmpl-${ctx.random.token(24)}`,
    created: Math.floor(ctx.clock.nowMs() / 1000),
    fallbackModel: candidate.model,
  }
}

export async function runStreaming(
  request: ChatRequest,
  plan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const attempts: AttemptRecord[] = []
  const opened = await openFirstAvailable(plan.candidates, 0, request, ctx.open, signal, attempts)
  return {
    candidate: opened.candidate,
    attempts,
    chunks: stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate)),
  }
}

export async function runCollected(
  request: ChatRequest,
  plan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
): Promise<CollectedOutcome> {
  const attempts: AttemptRecord[] = []
  let startIndex = 0
  while (true) {
    const opened = await openFirstAvailable(plan.candidates, startIndex, request, ctx.open, signal, attempts)
    const collector = new CompletionCollector()
    try {
      for await (const chunk of stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate))) {
        collector.push(chunk)
      }
      return { candidate: opened.candidate, attempts, completion: collector.result() }
    } catch (error) {
      opened.abort()
      if (signal.aborted) throw new ClientGoneError()
      if (!(error instanceof UpstreamError) || !error.retryable) throw error
      // Nothing has reached the client yet: the half-finished answer is dropped and the next one tried.
      const last = attempts[attempts.length - 1]
      if (last !== undefined) {
        last.outcome = error.kind
        last.message = error.message
      }
      startIndex = opened.candidateIndex + 1
    }
  }
}
