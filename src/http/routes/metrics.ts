import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../../errors.js'
import type { HttpServices } from '../types.js'

const DAY_MS = 86_400_000
const MAX_DAYS = 3650

/** ?days=N, a whole number 1–3650 (30 when absent); anything else is a 400 naming the parameter. */
function parseDays(value: string | undefined): number {
  if (value === undefined) return 30
  const days = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN
  if (days >= 1 && days <= MAX_DAYS) return days
  throw new InvalidRequestError(
    `Query parameter 'days' must be a whole number of days from 1 to ${MAX_DAYS}; got '${value.slice(0, 40)}'.`,
    { param: 'days', code: 'invalid_days' },
  )
}

export function registerMetrics(app: FastifyInstance, services: HttpServices): void {
  // JSON by default (the seed's shape); Prometheus text with ?format=prometheus or Accept: text/plain.
  app.get<{ Querystring: { format?: string } }>('/metrics', async (request, reply) => {
    const wantsText =
      request.query.format === 'prometheus' || /text\/plain|openmetrics/.test(request.headers.accept ?? '')
    if (wantsText) {
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await services.prometheus())
    }
    return services.metrics()
  })

  app.get<{ Querystring: { days?: string } }>('/savings', async (request) => {
    const days = parseDays(request.query.days)
    const since = new Date(services.nowMs() - (days - 1) * DAY_MS).toISOString().slice(0, 10)
    const rows = services.savings(since)
    const sum = (pick: (row: (typeof rows)[number]) => number): number =>
      rows.reduce((total, row) => total + pick(row), 0)
    const cache = services.promptCache(since)
    const reference = services.savingsReference
    return {
      reference: {
        model: reference.model,
        input_per_million_usd: reference.inputPerMillion,
        output_per_million_usd: reference.outputPerMillion,
      },
      formula:
        'saved_usd = (tokens_in × input_per_million + tokens_out × output_per_million) / 1e6 − actual cost, per request served',
      total: {
        requests: sum((r) => r.requests),
        free_tokens_in: sum((r) => r.freeTokensIn),
        free_tokens_out: sum((r) => r.freeTokensOut),
        cost_usd: round(sum((r) => r.costUsd)),
        saved_usd: round(sum((r) => r.savedUsd)),
      },
      days: rows.map((r) => ({
        day: r.day,
        requests: r.requests,
        free_tokens_in: r.freeTokensIn,
        free_tokens_out: r.freeTokensOut,
        cost_usd: round(r.costUsd),
        saved_usd: round(r.savedUsd),
      })),
      // Prompt tokens the providers' caches served: faster answers, and free capacity left for more.
      prompt_cache: {
        total: cacheShare(
          cache.reduce((total, row) => total + row.promptTokens, 0),
          cache.reduce((total, row) => total + row.cachedTokens, 0),
        ),
        providers: Object.fromEntries(
          cache.map((row) => [row.provider, cacheShare(row.promptTokens, row.cachedTokens)]),
        ),
      },
    }
  })
}

const round = (usd: number): number => Math.round(usd * 1_000_000) / 1_000_000

function cacheShare(promptTokens: number, cachedTokens: number) {
  const share = promptTokens === 0 ? 0 : cachedTokens / promptTokens
  return {
    prompt_tokens: promptTokens,
    cached_tokens: cachedTokens,
    cached_share: Math.round(share * 10_000) / 10_000,
  }
}
