import { type Scenarios, SSE, slowly } from './hostile-scenarios.js'
import { chunkFrame, reply } from './raw-upstream.js'

// Misbehaviours only an OpenAI-compatible upstream has: JSON answers that are not completions, chunks
// whose fields have the wrong type, tool call fragments that are not tool calls (wire-formats.md §1.4).

const done = 'data: [DONE]\n\n'
const ab = chunkFrame('a') + chunkFrame('b')

export const OPENAI_SCENARIOS: Scenarios = {
  'absurd usage figures': {
    when: 'ok',
    behave: reply(
      200,
      SSE,
      `${ab}data: {"choices":[],"usage":{"prompt_tokens":1e300,"completion_tokens":-7,"total_tokens":2.5,"prompt_tokens_details":{"cached_tokens":1e300}}}\n\n${done}`,
    ),
  },
  // Hardening report BUG-6, 7, 8: JSON answers that are not completions, and fragments that are not
  // tool calls, are malformed answers, never a 500 or a polluted prototype.
  'JSON null': { when: 'before', behave: reply(200, 'application/json', 'null') },
  'JSON choice without a message': {
    when: 'before',
    behave: reply(200, 'application/json', '{"choices":[{}]}'),
  },
  'JSON null choice': { when: 'before', behave: reply(200, 'application/json', '{"choices":[null]}') },
  'a null tool call fragment': {
    when: 'before',
    behave: reply(200, SSE, `data: {"choices":[{"index":0,"delta":{"tool_calls":[null]}}]}\n\n${done}`),
  },
  'a __proto__ tool call index': {
    when: 'either',
    behave: reply(
      200,
      SSE,
      `data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":"__proto__","id":"POLLUTED","function":{"name":"f"}}]}}]}\n\n${done}`,
    ),
  },
  'numeric content': {
    when: 'before',
    behave: reply(200, SSE, `data: {"choices":[{"index":0,"delta":{"content":5}}]}\n\n${done}`),
  },
  'a tool call, then a reset': {
    when: 'late',
    text: '',
    behave: slowly(
      [
        'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"ci"}}]}}]}\n\n',
      ],
      true,
    ),
  },
  'no [DONE] at the end': {
    when: 'ok',
    behave: reply(200, SSE, `${ab}data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`),
  },
}
