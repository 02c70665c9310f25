import type { Dispatcher } from 'undici'
import { createAnthropicStreamTranslator } from '../../wire/anthropic/create-anthropic-stream-translator.js'
import { parseAnthropicError } from '../../wire/anthropic/parse-anthropic-error.js'
import { readAnthropicRateLimits } from '../../wire/anthropic/read-anthropic-rate-limits.js'
import { toAnthropicRequest } from '../../wire/anthropic/to-anthropic-request.js'
import { chunkHasSubstance } from '../../wire/openai/chunk-has-substance.js'
import { postUpstream } from '../post-upstream.js'
import { readUpstreamStream } from '../read-upstream-stream.js'
import type { ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

const ANTHROPIC_VERSION = '2023-06-01'
// Anthropic requires max_tokens; clients that send none get a budget that fits any answer of an agent turn.
const DEFAULT_MAX_TOKENS = 8192

/** Anthropic Messages API: translation in wire/anthropic, one streamed POST here. */
export function createAnthropicAdapter(
  dispatcher: Dispatcher,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): ProviderAdapter {
  return {
    async open(call: UpstreamCall, signal: AbortSignal): Promise<UpstreamStream> {
      const body = toAnthropicRequest(call.request, {
        model: call.model,
        defaultMaxTokens: DEFAULT_MAX_TOKENS,
        ...(call.quirks.maxOutputTokens === undefined
          ? {}
          : { maxOutputTokens: call.quirks.maxOutputTokens }),
      })
      const headers: Record<string, string> = {
        'anthropic-version': ANTHROPIC_VERSION,
        accept: 'text/event-stream',
      }
      if (call.apiKey !== null) headers['x-api-key'] = call.apiKey
      const response = await postUpstream(
        `${call.baseUrl}/messages`,
        headers,
        { ...body, stream: true },
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) => parseAnthropicError(status, responseHeaders, text, call.nowMs),
      )
      return {
        limits: readAnthropicRateLimits(response.headers, call.nowMs),
        chunks: readUpstreamStream(
          response.body,
          { provider: call.provider, idleMs: call.timeouts.idleMs, limits, isProgress: chunkHasSubstance },
          createAnthropicStreamTranslator({ includeUsage: true, created: call.created }),
        ),
      }
    },
  }
}
