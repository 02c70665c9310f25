import { request } from 'undici'
import type { RunningSmartSplit } from '../support/start-smartsplit.js'
import { type ChatOutcome, readChatAnswer } from './read-chat-answer.js'
import { readMessagesAnswer } from './read-messages-answer.js'
import { readResponsesAnswer } from './read-responses-answer.js'

// The three ways clients talk to SmartSplit: OpenAI chat completions (Continue, Aider, SDKs), Anthropic
// Messages (Claude Code) and OpenAI Responses (Codex). Each asks one question and reads the answer the
// way its clients do, failing on anything that is not in its own dialect.

export interface ClientDialect {
  name: 'chat' | 'messages' | 'responses'
  path: string
  headers: Record<string, string>
  body(prompt: string, stream: boolean): Record<string, unknown>
  read(outcome: ChatOutcome, stream: boolean): { text: string; error: string | null }
}

export const DIALECTS: readonly ClientDialect[] = [
  {
    name: 'chat',
    path: '/v1/chat/completions',
    headers: {},
    body: (prompt, stream) => ({
      model: 'smartsplit',
      stream,
      messages: [{ role: 'user', content: prompt }],
    }),
    read: readChatAnswer,
  },
  {
    name: 'messages',
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: (prompt, stream) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream,
      messages: [{ role: 'user', content: prompt }],
    }),
    read: readMessagesAnswer,
  },
  {
    name: 'responses',
    path: '/v1/responses',
    headers: {},
    body: (prompt, stream) => ({ model: 'smartsplit', stream, input: prompt }),
    read: readResponsesAnswer,
  },
]

/** Asks `prompt` in `dialect` and returns the status, the time taken and the whole body. */
export async function askIn(
  dialect: ClientDialect,
  server: RunningSmartSplit,
  prompt: string,
  stream: boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ChatOutcome> {
  const started = performance.now()
  const response = await request(`${server.url}${dialect.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...dialect.headers },
    body: JSON.stringify(dialect.body(prompt, stream)),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(signal === undefined ? {} : { signal }),
  })
  const text = await response.body.text()
  return { status: response.statusCode, ms: performance.now() - started, text }
}
