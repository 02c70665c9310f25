import type { ConfigFile } from '../../src/config/schema.js'
import { chunkFrame } from './raw-upstream.js'

// The frames of a valid streamed answer in each provider wire format SmartSplit reads (wire-formats.md
// §1.4, §2.3, §3.2), so that every misbehaviour can be played in each of them: an opening, text pieces,
// and the ending a complete answer has.

export type WireName = 'openai' | 'anthropic' | 'gemini'

export interface UpstreamWire {
  name: WireName
  /** What comes before the first text: nothing (OpenAI, Gemini) or message_start and a block start. */
  opening: string
  text(piece: string): string
  /** What ends a complete answer: finish_reason and [DONE], message_stop, a finishReason. */
  ending: string
  /** An event that carries nothing: a bare role chunk, a ping, a usage-only response. */
  idle: string
  /** The wire's own error event after a 200 (OpenAI `{error}`, Anthropic overloaded_error, Google RPC). */
  errorEvent(message: string): string
  /** An answer of nothing but `a` then `b`, complete. */
  whole: string
  /** The provider entry that sends SmartSplit to `baseUrl` with this wire. */
  provider(baseUrl: string): { name: string; entry: NonNullable<ConfigFile['providers']>[string] }
}

const event = (payload: Record<string, unknown>): string =>
  `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`

export const anthropicEvent = event

export const messageStart = event({
  type: 'message_start',
  message: {
    id: 'msg_raw',
    type: 'message',
    role: 'assistant',
    model: 'claude-raw',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 1 },
  },
})

export const textBlockStart = (index: number): string =>
  event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } })

export const textDelta = (index: number, text: string): string =>
  event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })

export const messageEnd =
  event({ type: 'content_block_stop', index: 0 }) +
  event({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 2 },
  }) +
  event({ type: 'message_stop' })

export const geminiEvent = (payload: Record<string, unknown>): string =>
  `data: ${JSON.stringify(payload)}\n\n`

export const geminiText = (text: string): string =>
  geminiEvent({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }] })

const geminiEnd = geminiEvent({
  candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
})

const openaiEnd = `data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`

function wire(fields: Omit<UpstreamWire, 'whole'>): UpstreamWire {
  return { ...fields, whole: fields.opening + fields.text('a') + fields.text('b') + fields.ending }
}

export const WIRES: Record<WireName, UpstreamWire> = {
  openai: wire({
    name: 'openai',
    opening: '',
    text: chunkFrame,
    ending: openaiEnd,
    idle: 'data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n',
    errorEvent: (message) => `data: ${JSON.stringify({ error: { message, code: 503 } })}\n\n`,
    provider: (url) => ({ name: 'cerebras', entry: { base_url: url, api_key: 'csk-raw-key-000000001' } }),
  }),
  anthropic: wire({
    name: 'anthropic',
    opening: messageStart + textBlockStart(0),
    text: (piece) => textDelta(0, piece),
    ending: messageEnd,
    idle: event({ type: 'ping' }),
    errorEvent: (message) => event({ type: 'error', error: { type: 'overloaded_error', message } }),
    provider: (url) => ({
      name: 'anthropic',
      entry: { enabled: true, base_url: url, api_key: 'sk-ant-raw-fake-000001' },
    }),
  }),
  gemini: wire({
    name: 'gemini',
    opening: '',
    text: geminiText,
    ending: geminiEnd,
    idle: geminiEvent({ usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }),
    errorEvent: (message) => geminiEvent({ error: { code: 503, message, status: 'UNAVAILABLE' } }),
    provider: (url) => ({ name: 'gemini', entry: { base_url: url, api_key: 'gemini-raw-fake-0001' } }),
  }),
}
