import { type Scenarios, SSE, slowly } from './hostile-scenarios.js'
import { reply } from './raw-upstream.js'
import { geminiEvent, geminiText } from './upstream-wires.js'

// Misbehaviours only a Gemini upstream has: blocked prompts, SAFETY finishes without parts, JSON arrays
// where SSE was asked for, candidates nobody asked for, Google RPC errors (wire-formats.md §3.2, §3.3).

const arrayElement = JSON.stringify({
  candidates: [{ content: { parts: [{ text: 'a' }], role: 'model' }, index: 0 }],
})

const googleError = (code: number, status: string, details: unknown[] = []) =>
  JSON.stringify({ error: { code, message: `${status} from the raw upstream`, status, details } })

export const GEMINI_SCENARIOS: Scenarios = {
  '429 with a retryDelay of a million years': {
    when: 'before',
    behave: reply(
      429,
      'application/json',
      googleError(429, 'RESOURCE_EXHAUSTED', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '31536000000000s' },
      ]),
    ),
  },
  '500 INTERNAL labelled text/event-stream': {
    when: 'before',
    behave: reply(500, SSE, googleError(500, 'INTERNAL')),
  },
  'absurd usage figures': {
    when: 'ok',
    behave: reply(
      200,
      SSE,
      geminiText('a') +
        geminiText('b') +
        geminiEvent({
          candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
          usageMetadata: {
            promptTokenCount: 1e300,
            candidatesTokenCount: -7,
            thoughtsTokenCount: 2.5,
            totalTokenCount: 1e300,
          },
        }),
    ),
  },
  'a blocked prompt': {
    when: 'refused',
    behave: reply(
      200,
      SSE,
      geminiEvent({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5 } }),
    ),
  },
  'a SAFETY finish with no parts': {
    when: 'refused',
    behave: reply(200, SSE, geminiEvent({ candidates: [{ finishReason: 'SAFETY', index: 0 }] })),
  },
  'a JSON array stream cut mid-element': {
    when: 'before',
    behave: reply(200, 'application/json', `[${arrayElement}\n,\r\n{"candidates":[{"content":{"par`),
  },
  'a whole JSON array instead of SSE': {
    when: 'before',
    behave: reply(200, 'application/json', `[${arrayElement}]`),
  },
  // One candidate was asked for: a candidate 7 is not an answer to this request.
  'a candidate numbered 7': {
    when: 'before',
    behave: reply(
      200,
      SSE,
      geminiEvent({ candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'STOP', index: 7 }] }),
    ),
  },
  'a functionCall without a name': {
    when: 'before',
    behave: reply(
      200,
      SSE,
      geminiEvent({ candidates: [{ content: { parts: [{ functionCall: { args: {} } }] }, index: 0 }] }),
    ),
  },
  // The filter stopped an answer already under way: what came is the answer, cut as content_filter.
  'content, then SAFETY': {
    when: 'ok',
    text: 'partial ',
    behave: slowly([
      geminiText('partial '),
      geminiEvent({ candidates: [{ finishReason: 'SAFETY', index: 0 }] }),
    ]),
  },
  'a function call, then a reset': {
    when: 'late',
    text: '',
    behave: slowly(
      [
        geminiEvent({
          candidates: [
            {
              content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
              index: 0,
            },
          ],
        }),
      ],
      true,
    ),
  },
  'MALFORMED_FUNCTION_CALL with no parts': {
    when: 'refused',
    behave: reply(
      200,
      SSE,
      geminiEvent({ candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', index: 0 }] }),
    ),
  },
  'an error object with a string code': {
    when: 'before',
    behave: reply(200, SSE, geminiEvent({ error: { code: 'UNAVAILABLE', message: 'busy' } })),
  },
}
