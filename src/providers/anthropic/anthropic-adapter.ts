import type { Dispatcher } from 'undici'
import { anthropicMessageToEvents } from '../../wire/anthropic/anthropic-message-to-events.js'
import { createAnthropicStreamTranslator } from '../../wire/anthropic/create-anthropic-stream-translator.js'
import { parseAnthropicError } from '../../wire/anthropic/parse-anthropic-error.js'
import { readAnthropicRateLimits } from '../../wire/anthropic/read-anthropic-rate-limits.js'
import { toAnthropicRequest } from '../../wire/anthropic/to-anthropic-request.js'
import { headerValue } from '../../wire/http-headers.js'
import { chunkHasSubstance } from '../../wire/openai/chunk-has-substance.js'
import type { ChatChunk } from '../../wire/openai/types.js'
import { postUpstream, type UpstreamResponse } from '../post-upstream.js'
import { readJsonAsStream } from '../read-json-as-stream.js'
import { readUpstreamStream } from '../read-upstream-stream.js'
import type { ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

const ANTHROPIC_VERSION = '2023-06-01'
// Anthropic requires max_tokens; clients that send none get a budget that fits any answer of an agent turn.
const DEFAULT_MAX_TOKENS = 8192

/** The answer's chunks: the SSE stream asked for, or the whole JSON message some proxies send instead. */
function readAnswer(
  response: UpstreamResponse,
  call: UpstreamCall,
  limits: UpstreamReadLimits,
): AsyncGenerator<ChatChunk> {
  const translator = createAnthropicStreamTranslator({ includeUsage: true, created: call.created })
  if (headerValue(response.headers, 'content-type')?.includes('application/json') === true) {
    const options = { provider: call.provider, maxAnswerBytes: limits.maxAnswerBytes }
    return readJsonAsStream(response.body, options, anthropicMessageToEvents, translator)
  }
  const options = {
    provider: call.provider,
    idleMs: call.timeouts.idleMs,
    limits,
    isProgress: chunkHasSubstance,
  }
  return readUpstreamStream(response.body, options, translator)
}

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
        chunks: readAnswer(response, call, limits),
      }
    },
  }
}
