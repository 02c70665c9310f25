import type { Dispatcher } from 'undici'
import { assertMatchesSchema } from '../support/openapi.js'
import type { FuzzCase } from './bad-request-cases.js'

// Sends one generated case over a keep-alive pool and says what is wrong with the answer, if anything.

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export async function send(pool: Dispatcher, item: FuzzCase): Promise<Answer> {
  const response = await pool.request({
    method: item.method as Dispatcher.HttpMethod,
    path: item.path,
    headers: item.headers,
    body: item.body ?? null,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  })
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() }
}

/** Every rejection is an OpenAI-shaped 4xx naming the problem; every 2xx is what was expected. */
export function problemWith(item: FuzzCase, answer: Answer): string | null {
  if (answer.status >= 500) return `server error ${answer.status}: ${answer.text.slice(0, 300)}`
  if (!item.statuses.includes(answer.status))
    return `status ${answer.status}, expected ${item.statuses.join('|')}: ${answer.text.slice(0, 300)}`
  if (item.method === 'HEAD') return null
  let json: unknown
  try {
    json = JSON.parse(answer.text)
  } catch {
    return `body is not JSON: ${answer.text.slice(0, 300)}`
  }
  if (answer.status < 400) return null
  try {
    assertMatchesSchema('ErrorResponse', json)
  } catch (error) {
    return (error as Error).message.slice(0, 500)
  }
  const error = (json as { error: Record<string, unknown> }).error
  const keys = Object.keys(error).sort().join(',')
  if (keys !== 'code,message,param,type') return `error keys are ${keys}`
  if (!item.mention.test(String(error.message)))
    return `message "${error.message}" does not match ${item.mention}`
  return null
}

/** Runs `work` over `items` with at most `concurrency` in flight, in order of start. */
export async function runBounded<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!)
  })
  await Promise.all(lanes)
}
