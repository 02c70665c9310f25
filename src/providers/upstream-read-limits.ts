import { DEFAULT_MAX_EVENT_CHARS } from '../wire/sse.js'

/** How much one upstream answer may send before it counts as malformed (config `upstream_limits`). */
export interface UpstreamReadLimits {
  /** Largest single SSE event, in characters (a data line that never ends, data lines with no blank line). */
  maxEventChars: number
  /** Everything one answer may send, streamed or as one JSON body, in bytes. */
  maxAnswerBytes: number
}

/**
 * Generous: a 128 K-token answer streamed one token per chunk is about 30 MB of SSE, and no real event
 * comes near 16 M characters. The bounds exist so that one broken or hostile upstream cannot take the
 * memory of every other request with it.
 */
export const DEFAULT_UPSTREAM_READ_LIMITS: UpstreamReadLimits = {
  maxEventChars: DEFAULT_MAX_EVENT_CHARS,
  maxAnswerBytes: 128 * 1024 * 1024,
}
