import type { SseEvent } from '../sse.js'

/**
 * A JSON body where SSE was asked for → the events `alt=sse` would have carried. Without `alt=sse`
 * (a proxy that drops the query) streamGenerateContent answers a JSON array of GenerateContentResponses,
 * and generateContent one object: each becomes one event, for the same stream translator, which refuses
 * an error object (`{"error":…}`, even with a 200) and anything that is not a response.
 */
export function geminiJsonToEvents(json: unknown): SseEvent[] {
  const responses = Array.isArray(json) ? json : [json]
  return responses.map((response) => ({ event: undefined, data: JSON.stringify(response) }))
}
