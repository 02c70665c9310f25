import { z } from 'zod'
import type { RecordedAttempt, StoredRequest } from './types.js'

/** The request_log columns a StoredRequest is read from. */
export const REQUEST_COLUMNS = `id, request_id, endpoint, client, status, time_ms, route, mode, tasks, providers_tried,
  attempts, provider, model, tokens_in, tokens_out, tokens_estimated, latency_ms, first_token_ms, outcome,
  cost_usd, saved_usd, prompt`

/** The same, from a database written before v5 (read by a reader that never migrates). */
export const LEGACY_REQUEST_COLUMNS = `id, NULL AS request_id, NULL AS endpoint, NULL AS client, NULL AS status, time_ms,
  route, mode, tasks, providers_tried, NULL AS attempts, provider, model, tokens_in, tokens_out, tokens_estimated,
  latency_ms, first_token_ms, outcome, cost_usd, saved_usd, prompt`

const attemptsSchema = z.array(
  z.object({
    provider: z.string(),
    model: z.string(),
    keyIndex: z.number(),
    outcome: z.string(),
    latencyMs: z.number(),
  }),
)

const stringsOf = (text: unknown): string[] => {
  try {
    const value: unknown = JSON.parse(String(text))
    return Array.isArray(value) ? value.map(String) : []
  } catch {
    return []
  }
}

/** Rows written before v5 have no attempts column: their "provider/model=outcome" list stands in. */
function attemptsOf(row: Record<string, unknown>): RecordedAttempt[] {
  if (typeof row.attempts === 'string') {
    try {
      const parsed = attemptsSchema.safeParse(JSON.parse(row.attempts))
      if (parsed.success) return parsed.data
    } catch {
      // a damaged cell: fall back to the plain list below
    }
  }
  return stringsOf(row.providers_tried).map((text) => {
    const [target = '', outcome = ''] = text.split('=')
    const slash = target.indexOf('/')
    return {
      provider: slash === -1 ? target : target.slice(0, slash),
      model: slash === -1 ? '' : target.slice(slash + 1),
      keyIndex: 0,
      outcome,
      latencyMs: 0,
    }
  })
}

/** One request_log row (selected with REQUEST_COLUMNS) as the store's type. */
export function toStoredRequest(row: Record<string, unknown>): StoredRequest {
  return {
    id: row.id as number,
    requestId: (row.request_id as string | null) ?? null,
    endpoint: (row.endpoint as string | null) ?? null,
    client: (row.client as string | null) ?? null,
    status: (row.status as number | null) ?? null,
    timeMs: row.time_ms as number,
    route: row.route as StoredRequest['route'],
    mode: row.mode as string,
    tasks: stringsOf(row.tasks),
    providersTried: stringsOf(row.providers_tried),
    attempts: attemptsOf(row),
    provider: row.provider as string | null,
    model: row.model as string | null,
    tokensIn: row.tokens_in as number,
    tokensOut: row.tokens_out as number,
    tokensEstimated: row.tokens_estimated === 1,
    latencyMs: row.latency_ms as number,
    firstTokenMs: row.first_token_ms as number | null,
    outcome: row.outcome as string,
    costUsd: row.cost_usd as number,
    savedUsd: row.saved_usd as number,
    prompt: row.prompt as string | null,
  }
}
