// The journey of one chat request:
//
//   request ─► analyze (task, complexity, needs web, agentic; local, no I/O)
//           ─► plan route ─► rank candidates (routing table × mode × tier × capabilities × availability)
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
import type { RequestFinished } from '../metrics/types.js'
import { CompletionCollector } from '../wire/collect.js'
import type { ChatChunk, ChatCompletion, ChatRequest } from '../wire/openai/types.js'
import { analyzeRequest } from './analyze/analyze-request.js'
import type { Analysis } from './analyze/types.js'
import { buildFinishedEvent } from './build-finished-event.js'
import { observeChunks, type StreamSummary } from './execute/observe-chunks.js'
import { type OpenDeps, openFirstAvailable } from './execute/open-first-available.js'
import { stampChunks } from './execute/stamp-chunks.js'
import type { AttemptRecord } from './execute/types.js'
import { parseModelId } from './route/parse-model-id.js'
import { pickCandidates } from './route/pick-candidates.js'
import {
  type AvailabilityLookup,
  type Exclusion,
  type LearnedLookup,
  rankCandidates,
} from './route/rank-candidates.js'
import { requiredCapabilities } from './route/required-capabilities.js'
import type { RoutingTable } from './route/routing-table.js'
import type { Candidate } from './route/types.js'

export interface RunContext {
  providers: readonly ProviderConfig[]
  mode: Mode
  table: RoutingTable
  open: OpenDeps
  clock: Clock
  random: Random
  availability?: AvailabilityLookup
  learned?: LearnedLookup
  /** Told about every finished request (metrics, store, learning, provider state). */
  onFinished?: (event: RequestFinished, attempts: readonly AttemptRecord[]) => void
  logPrompts?: boolean
}

/** Where a request came in and when: for overhead, latency and the request log. */
export interface RequestOrigin {
  path: string
  receivedAtMs: number
}

export interface RoutePlan {
  mode: Mode
  analysis: Analysis
  /** `enrich` when the answer needs fresh facts from a web search first. */
  route: 'respond' | 'enrich'
  pinned: boolean
  candidates: Candidate[]
  excluded: Exclusion[]
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
  const analysis = analyzeRequest(request)
  const route = analysis.needsWeb && !analysis.isAgentic ? 'enrich' : 'respond'
  if (!ctx.providers.some((p) => p.enabled))
    throw new NoProvidersConfiguredError(noProvidersMessage(ctx.providers))
  if (selection.kind === 'pinned') {
    const candidates = pickCandidates(ctx.providers, selection)
    if (candidates.length === 0) {
      const provider = ctx.providers.find((p) => p.name === selection.provider)
      throw new InvalidRequestError(
        `The model '${request.model}' cannot be used: provider '${selection.provider}' is not enabled (${provider?.disabledReason ?? 'unknown'}). Use "smartsplit" for automatic routing or see GET /v1/models.`,
        { param: 'model', code: 'model_not_found', status: 404 },
      )
    }
    return { mode, analysis, route, pinned: true, candidates, excluded: [] }
  }
  const ranking = rankCandidates({
    analysis,
    mode,
    providers: ctx.providers,
    table: ctx.table,
    required: requiredCapabilities(request, analysis.estimatedPromptTokens),
    ...(ctx.availability === undefined ? {} : { availability: ctx.availability }),
    ...(ctx.learned === undefined ? {} : { learned: ctx.learned }),
  })
  if (ranking.candidates.length === 0 && ranking.excluded.length > 0 && ctx.availability === undefined) {
    throw new InvalidRequestError(
      `No enabled provider can take this request: ${ranking.excluded.map((e) => e.reason).join('; ')}. Shorten the conversation or enable a provider that supports it.`,
      { code: 'no_capable_provider' },
    )
  }
  return { mode, analysis, route, pinned: false, candidates: ranking.candidates, excluded: ranking.excluded }
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

function report(
  ctx: RunContext,
  origin: RequestOrigin,
  request: ChatRequest,
  plan: RoutePlan,
  result: {
    candidate: Candidate | null
    attempts: AttemptRecord[]
    summary: StreamSummary | null
    upstreamStartMs: number
  },
): void {
  if (ctx.onFinished === undefined) return
  const event = buildFinishedEvent({
    path: origin.path,
    request,
    plan,
    candidate: result.candidate,
    attempts: result.attempts,
    summary: result.summary,
    receivedAtMs: origin.receivedAtMs,
    upstreamStartMs: result.upstreamStartMs,
    nowMs: ctx.clock.nowMs(),
    qualityPassed: true,
    logPrompts: ctx.logPrompts === true,
  })
  ctx.onFinished(event, result.attempts)
}

export async function runStreaming(
  request: ChatRequest,
  plan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin = { path: '/v1/chat/completions', receivedAtMs: ctx.clock.nowMs() },
): Promise<StreamOutcome> {
  const attempts: AttemptRecord[] = []
  const upstreamStartMs = ctx.clock.nowMs()
  let opened: Awaited<ReturnType<typeof openFirstAvailable>>
  try {
    opened = await openFirstAvailable(plan.candidates, 0, request, ctx.open, signal, attempts)
  } catch (error) {
    report(ctx, origin, request, plan, { candidate: null, attempts, summary: null, upstreamStartMs })
    throw error
  }
  const chunks = observeChunks(
    stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate)),
    () => ctx.clock.nowMs(),
    () => signal.aborted,
    (summary) =>
      report(ctx, origin, request, plan, { candidate: opened.candidate, attempts, summary, upstreamStartMs }),
  )
  return { candidate: opened.candidate, attempts, chunks }
}

export async function runCollected(
  request: ChatRequest,
  plan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin = { path: '/v1/chat/completions', receivedAtMs: ctx.clock.nowMs() },
): Promise<CollectedOutcome> {
  const attempts: AttemptRecord[] = []
  const upstreamStartMs = ctx.clock.nowMs()
  let startIndex = 0
  while (true) {
    let opened: Awaited<ReturnType<typeof openFirstAvailable>>
    try {
      opened = await openFirstAvailable(plan.candidates, startIndex, request, ctx.open, signal, attempts)
    } catch (error) {
      report(ctx, origin, request, plan, { candidate: null, attempts, summary: null, upstreamStartMs })
      throw error
    }
    const collector = new CompletionCollector()
    let summary: StreamSummary | null = null
    try {
      const chunks = observeChunks(
        stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate)),
        () => ctx.clock.nowMs(),
        () => signal.aborted,
        (done) => {
          summary = done
        },
      )
      for await (const chunk of chunks) collector.push(chunk)
      report(ctx, origin, request, plan, { candidate: opened.candidate, attempts, summary, upstreamStartMs })
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
