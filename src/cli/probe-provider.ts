import type { Dispatcher } from 'undici'
import type { ProviderConfig } from '../config/types.js'
import { UpstreamError, type UpstreamFailureKind } from '../errors.js'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import { createAnthropicAdapter } from '../providers/anthropic/anthropic-adapter.js'
import { createGeminiAdapter } from '../providers/gemini/gemini-adapter.js'
import { createOpenAICompatibleAdapter } from '../providers/openai-compatible/openai-compatible-adapter.js'
import type { Dialect, ProviderAdapter } from '../providers/types.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'

// `smartsplit doctor` checks each key with one real, tiny request through the same adapters the server
// uses (app.ts builds the same map), so a key that passes here is a key the pipeline can use, in every
// dialect. One request of max_tokens 1 costs nothing on a free tier.

export type ProbeResult =
  | { ok: true; latencyMs: number; limits: RateLimitReading }
  | {
      ok: false
      latencyMs: number
      kind: UpstreamFailureKind
      status: number | null
      message: string
      retryAfterMs: number | null
    }

export interface ProbeDeps {
  adapters: ReadonlyMap<Dialect, ProviderAdapter>
  clock: Clock
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number }
}

export function createProbeAdapters(dispatcher: Dispatcher, random: Random): Map<Dialect, ProviderAdapter> {
  return new Map<Dialect, ProviderAdapter>([
    ['openai', createOpenAICompatibleAdapter(dispatcher)],
    ['anthropic', createAnthropicAdapter(dispatcher)],
    ['gemini', createGeminiAdapter(dispatcher, random)],
  ])
}

/** One request of one token with one key to one model; resolves (never rejects) with what happened and how fast. */
export async function probeProvider(
  provider: ProviderConfig,
  apiKey: string | null,
  model: string,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  const adapter = deps.adapters.get(provider.dialect)
  const startedMs = deps.clock.nowMs()
  const elapsed = (): number => Math.max(0, Math.round(deps.clock.nowMs() - startedMs))
  if (adapter === undefined) {
    return {
      ok: false,
      latencyMs: 0,
      kind: 'bad_request',
      status: null,
      message: `the ${provider.dialect} dialect is not supported`,
      retryAfterMs: null,
    }
  }
  const controller = new AbortController()
  const deadline = setTimeout(
    () => controller.abort(),
    deps.timeouts.connectMs + deps.timeouts.firstByteMs + deps.timeouts.idleMs,
  )
  try {
    const stream = await adapter.open(
      {
        provider: provider.name,
        baseUrl: provider.baseUrl,
        apiKey,
        model,
        request: {
          model,
          messages: [{ role: 'user', content: 'Reply with one word: ok' }],
          max_tokens: 1,
        },
        quirks: provider.quirks,
        extraHeaders: provider.extraHeaders,
        timeouts: deps.timeouts,
        nowMs: startedMs,
        created: Math.floor(startedMs / 1000),
      },
      controller.signal,
    )
    // Read the (one-token) answer to its end: a key that opens a stream but cannot finish it is not ok.
    for await (const _chunk of stream.chunks) {
      // nothing to keep
    }
    return { ok: true, latencyMs: elapsed(), limits: stream.limits }
  } catch (error) {
    const failure =
      error instanceof UpstreamError
        ? error
        : new UpstreamError(controller.signal.aborted ? 'no answer in time' : String(error), {
            kind: controller.signal.aborted ? 'timeout' : 'network',
          })
    return {
      ok: false,
      latencyMs: elapsed(),
      kind: failure.kind,
      status: failure.upstreamStatus,
      message: failure.message,
      retryAfterMs: failure.retryAfterMs,
    }
  } finally {
    clearTimeout(deadline)
    controller.abort()
  }
}
