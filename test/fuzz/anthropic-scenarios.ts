import { type Scenarios, SSE, slowly } from './hostile-scenarios.js'
import { reply } from './raw-upstream.js'
import {
  anthropicEvent,
  messageEnd,
  messageStart,
  textBlockStart,
  textDelta,
  WIRES,
} from './upstream-wires.js'

// Misbehaviours only an Anthropic upstream has: events out of order, its own `event: error`, no
// message_stop, its own error bodies (wire-formats.md §2.3, §2.4).

const messageDelta = anthropicEvent({
  type: 'message_delta',
  delta: { stop_reason: 'end_turn', stop_sequence: null },
  usage: { output_tokens: 2 },
})

const anthropicError = (type: string, message: string) =>
  JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_raw' })

export const ANTHROPIC_SCENARIOS: Scenarios = {
  '529 overloaded_error': {
    when: 'before',
    behave: reply(529, 'application/json', anthropicError('overloaded_error', 'Overloaded')),
  },
  '429 with a retry-after of a million years': {
    when: 'before',
    behave: (res) =>
      void res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '31536000000000' })
        .end(anthropicError('rate_limit_error', 'Number of requests has exceeded your rate limit')),
  },
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
  // message_delta carries the stop reason: every block is in, only the closing event is missing.
  'message_stop missing': {
    when: 'ok',
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
