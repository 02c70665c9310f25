import { EmbeddingModelUnavailableError, InvalidRequestError, UpstreamError } from '../../errors.js'
import { isClientGone, stoppedBy } from '../../lib/abort.js'
import type { Clock } from '../../lib/clock.js'
import type { EmbeddingsFacts } from '../../providers/catalog.js'
import type { EmbeddingAdapter } from '../../providers/types.js'
import type { EmbeddingsRequest } from '../../wire/embeddings/types.js'
import { type AttemptRecord, turnedAway } from '../attempts.js'
import type { CapacityGate, Lease, OutcomeSink } from '../ports.js'
import type { PipelineSettings, RequestOrigin } from '../types.js'
import { reportEmbedding } from './report-embedding.js'
import { type EmbeddingTarget, resolveEmbeddingModel } from './resolve-embedding-model.js'

export interface EmbedDeps {
  capacity: CapacityGate
  clock: Clock
  outcomes: OutcomeSink
  embedderFor(api: EmbeddingsFacts['api']): EmbeddingAdapter
  settings: Pick<PipelineSettings, 'providers' | 'mode' | 'timeouts' | 'embeddings'>
}

/** The vectors of one request, and what made them. */
export interface EmbeddingsOutcome {
  target: EmbeddingTarget
  vectors: number[][]
  promptTokens: number
  attempts: AttemptRecord[]
}

const estimateTokens = (texts: readonly string[]): number =>
  texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0)

function checkDimensions(dimensions: number | null, target: EmbeddingTarget): void {
  const facts = target.facts
  if (dimensions === null || facts === null || dimensions === facts.dimensions) return
  if (facts.flexibleDimensions && dimensions < facts.dimensions) return
  throw new InvalidRequestError(
    facts.flexibleDimensions
      ? `${target.id} makes vectors of at most ${facts.dimensions} dimensions; ask for ${facts.dimensions} or fewer.`
      : `${target.id} makes ${facts.dimensions}-dimensional vectors and cannot shorten them; drop dimensions or send ${facts.dimensions}.`,
    { param: 'dimensions', code: 'invalid_value' },
  )
}

function batchesOf(inputs: readonly string[], size: number): string[][] {
  const batches: string[][] = []
  for (let at = 0; at < inputs.length; at += size) batches.push(inputs.slice(at, at + size))
  return batches
}

/** The call for one batch on one key of the target's model. */
function callOf(
  batch: readonly string[],
  request: EmbeddingsRequest,
  target: EmbeddingTarget,
  keyIndex: number,
  deps: EmbedDeps,
) {
  const { provider } = target
  return {
    provider: provider.name,
    baseUrl: target.embeddings.baseUrl ?? provider.baseUrl,
    apiKey: provider.apiKeys[keyIndex] ?? null,
    model: target.model,
    inputs: batch,
    dimensions: request.dimensions,
    extraHeaders: provider.extraHeaders,
    timeouts: deps.settings.timeouts,
    nowMs: deps.clock.nowMs(),
  }
}

/**
 * One call on one admitted key: the vectors and the tokens they cost, or null when the call failed in
 * a way another key may not (the failure recorded and settled); a failure no key would survive throws.
 */
async function callKey(
  call: ReturnType<typeof callOf>,
  keyIndex: number,
  lease: Lease,
  deps: EmbedDeps,
  target: EmbeddingTarget,
  attempts: AttemptRecord[],
  signal: AbortSignal,
): Promise<{ vectors: number[][]; tokens: number } | null> {
  const startedMs = call.nowMs
  const record: AttemptRecord = {
    provider: call.provider,
    model: call.model,
    keyIndex,
    outcome: 'ok',
    status: null,
    message: null,
    retryAfterMs: null,
    latencyMs: 0,
    limits: null,
  }
  attempts.push(record)
  let result: Awaited<ReturnType<EmbeddingAdapter['embed']>>
  try {
    result = await deps.embedderFor(target.embeddings.api).embed(call, signal)
  } catch (error) {
    if (signal.aborted) {
      lease.release()
      throw stoppedBy(signal)
    }
    const failure =
      error instanceof UpstreamError
        ? error
        : new UpstreamError(`${call.provider} failed: ${String(error)}`, { kind: 'malformed' })
    const { kind: outcome, upstreamStatus: status, retryAfterMs, message, quotaKind } = failure
    Object.assign(record, {
      outcome,
      status,
      message,
      retryAfterMs,
      latencyMs: deps.clock.nowMs() - startedMs,
    })
    lease.settle({ outcome, retryAfterMs, quotaKind, status, message })
    if (!failure.retryable) throw failure
    return null
  }
  const tokens = result.promptTokens ?? estimateTokens(call.inputs)
  Object.assign(record, { latencyMs: deps.clock.nowMs() - startedMs, limits: result.limits })
  record.usage = { tokensIn: tokens, tokensOut: 0, cachedTokens: 0, estimated: result.promptTokens === null }
  lease.settle({ outcome: 'ok', usageTokens: tokens, limits: result.limits })
  return { vectors: result.vectors, tokens }
}

/**
 * One batch on the target's model, trying its keys in turn from `firstKey`: the same model under
 * another key is the only failover an index allows. Returns the vectors and the key that answered.
 */
async function embedBatch(
  batch: readonly string[],
  request: EmbeddingsRequest,
  target: EmbeddingTarget,
  firstKey: number,
  deps: EmbedDeps,
  attempts: AttemptRecord[],
  signal: AbortSignal,
): Promise<{ vectors: number[][]; tokens: number; keyIndex: number }> {
  const keyCount = Math.max(1, target.provider.apiKeys.length)
  for (let step = 0; step < keyCount; step++) {
    if (signal.aborted) throw stoppedBy(signal)
    const keyIndex = (firstKey + step) % keyCount
    const where = { provider: target.provider.name, model: target.model, keyIndex }
    const admission = await deps.capacity.admit(where, estimateTokens(batch))
    if ('refused' in admission) {
      attempts.push(turnedAway(where, admission.refused, deps.clock.nowMs()))
      continue
    }
    const call = callOf(batch, request, target, keyIndex, deps)
    const answer = await callKey(call, keyIndex, admission.lease, deps, target, attempts, signal)
    if (answer === null) continue
    checkWidths(answer.vectors, request.dimensions, target)
    return { ...answer, keyIndex }
  }
  throw unavailable(target, attempts)
}

/** Vectors of the width asked for (a server that ignored `dimensions` would hand back another one). */
function checkWidths(vectors: readonly number[][], dimensions: number | null, target: EmbeddingTarget): void {
  const width = vectors[0]?.length ?? 0
  if (dimensions !== null && width !== dimensions)
    throw new InvalidRequestError(
      `${target.id} answered ${width}-dimensional vectors; it does not take dimensions.`,
      {
        param: 'dimensions',
        code: 'invalid_value',
      },
    )
}

function unavailable(
  target: EmbeddingTarget,
  attempts: readonly AttemptRecord[],
): EmbeddingModelUnavailableError {
  const waits = attempts.flatMap((a) => (a.retryAfterMs === null ? [] : [a.retryAfterMs]))
  const why = attempts
    .filter((a) => a.outcome !== 'ok')
    .map((a) => `key ${a.keyIndex + 1}: ${a.message ?? a.outcome}`)
    .join('; ')
  return new EmbeddingModelUnavailableError(
    `${target.id} cannot answer now (${why}). SmartSplit does not switch to another embedding model, since vectors from different models cannot share an index; retry later, or add another key for ${target.provider.name}.`,
    waits.length === 0 ? null : Math.min(...waits),
  )
}

/**
 * POST /v1/embeddings: the model id resolves to one embedding model; the inputs go in batches of the
 * size it takes, each batch on the key that answered the last (another key of the same model if that
 * one cannot), and every call is admitted and settled by the state layer like a chat call.
 */
export async function embed(
  request: EmbeddingsRequest,
  origin: RequestOrigin,
  deps: EmbedDeps,
  signal: AbortSignal,
): Promise<EmbeddingsOutcome> {
  const target = resolveEmbeddingModel(request.model, {
    providers: deps.settings.providers,
    defaultModel: deps.settings.embeddings.defaultModel,
  })
  checkDimensions(request.dimensions, target)
  const upstreamStartMs = deps.clock.nowMs()
  const attempts: AttemptRecord[] = []
  const vectors: number[][] = []
  let promptTokens = 0
  let keyIndex = 0
  try {
    for (const batch of batchesOf(request.input, target.facts?.maxBatch ?? 16)) {
      const answered = await embedBatch(batch, request, target, keyIndex, deps, attempts, signal)
      if (vectors.length > 0 && answered.vectors[0]?.length !== vectors[0]?.length)
        throw new UpstreamError(`${target.id} answered vectors of another width`, { kind: 'malformed' })
      for (const vector of answered.vectors) vectors.push(vector)
      promptTokens += answered.tokens
      keyIndex = answered.keyIndex
    }
  } catch (error) {
    const outcome = isClientGone(signal) ? 'client_gone' : 'error'
    reportEmbedding({ origin, target, attempts, upstreamStartMs, outcome }, deps)
    throw error
  }
  reportEmbedding({ origin, target, attempts, upstreamStartMs, outcome: 'ok' }, deps)
  return { target, vectors, promptTokens, attempts }
}
