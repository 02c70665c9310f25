import { type Scenarios, SSE, slowly } from './hostile-scenarios.js'
import { chunkFrame, reply } from './raw-upstream.js'
import {
  anthropicEvent,
  geminiEvent,
  geminiText,
  messageEnd,
  messageStart,
  textBlockStart,
  textDelta,
  WIRES,
  type WireName,
} from './upstream-wires.js'

// Misbehaviours only one wire format can have: events out of order, its own error events, its own ways
// of refusing (wire-formats.md §1.4, §2.3, §3.2).

const done = 'data: [DONE]\n\n'
const ab = chunkFrame('a') + chunkFrame('b')

const openai: Scenarios = {
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

const messageDelta = anthropicEvent({
  type: 'message_delta',
  delta: { stop_reason: 'end_turn', stop_sequence: null },
  usage: { output_tokens: 2 },
})

const anthropic: Scenarios = {
  'absurd usage figures': {
    when: 'ok',
    behave: reply(
      200,
      SSE,
      WIRES.anthropic.opening +
        textDelta(0, 'a') +
        textDelta(0, 'b') +
        anthropicEvent({ type: 'content_block_stop', index: 0 }) +
        anthropicEvent({
          type: 'message_delta',
          delta: { stop_reason: 'end_turn' },
          usage: { input_tokens: 1e300, output_tokens: -7, cache_read_input_tokens: 2.5 },
        }) +
        anthropicEvent({ type: 'message_stop' }),
    ),
  },
  'a delta for a block that never started': {
    when: 'before',
    behave: reply(
      200,
      SSE,
      messageStart + textDelta(0, 'lost') + messageDelta + anthropicEvent({ type: 'message_stop' }),
    ),
  },
  'a delta for a second block that never started': {
    when: 'after',
    behave: slowly([WIRES.anthropic.opening + textDelta(0, 'partial '), textDelta(1, 'lost') + messageEnd]),
  },
  'overloaded_error after content': {
    when: 'after',
    behave: slowly([
      WIRES.anthropic.opening + textDelta(0, 'partial '),
      anthropicEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]),
  },
  // message_delta carries the stop reason, so the answer looks finished and is released before the cut.
  'message_stop missing': {
    when: 'late',
    text: 'a',
    behave: reply(
      200,
      SSE,
      WIRES.anthropic.opening +
        textDelta(0, 'a') +
        anthropicEvent({ type: 'content_block_stop', index: 0 }) +
        messageDelta,
    ),
  },
  'an error event of an unknown type': {
    when: 'before',
    behave: reply(200, SSE, messageStart + anthropicEvent({ type: 'error', error: { type: 'constructor' } })),
  },
  'an error event without an error': {
    when: 'before',
    behave: reply(200, SSE, messageStart + anthropicEvent({ type: 'error' })),
  },
  'a text_delta whose text is a number': {
    when: 'before',
    behave: reply(
      200,
      SSE,
      messageStart +
        textBlockStart(0) +
        `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}\n\n` +
        messageEnd,
    ),
  },
  'a message_start without a message': {
    when: 'before',
    behave: reply(200, SSE, anthropicEvent({ type: 'message_start' }) + WIRES.anthropic.whole),
  },
  'a tool_use block, then a reset': {
    when: 'late',
    text: '',
    behave: slowly(
      [
        messageStart +
          anthropicEvent({
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
          }) +
          anthropicEvent({
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'input_json_delta', partial_json: '{"ci' },
          }),
      ],
      true,
    ),
  },
  'max_tokens before any content': {
    when: 'refused',
    behave: reply(
      200,
      SSE,
      messageStart +
        anthropicEvent({
          type: 'message_delta',
          delta: { stop_reason: 'max_tokens' },
          usage: { output_tokens: 0 },
        }) +
        anthropicEvent({ type: 'message_stop' }),
    ),
  },
  'a whole Message as JSON': {
    when: 'either',
    behave: reply(
      200,
      'application/json',
      JSON.stringify({
        id: 'msg_raw',
        type: 'message',
        role: 'assistant',
        model: 'claude-raw',
        content: [{ type: 'text', text: 'ab' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      }),
    ),
  },
  'data-only frames': {
    when: 'either',
    behave: reply(200, SSE, WIRES.anthropic.whole.replace(/^event: .*\n/gm, '')),
  },
}

const arrayElement = JSON.stringify({
  candidates: [{ content: { parts: [{ text: 'a' }], role: 'model' }, index: 0 }],
})

const gemini: Scenarios = {
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

export const WIRE_SCENARIOS: Record<WireName, Scenarios> = { openai, anthropic, gemini }
