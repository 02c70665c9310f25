import type { RoutingFigures, RunQuota } from '../scenarios/routing.js'
import { AFTER } from '../scenarios/routing.js'
import { MIN_COVERED } from './render-routing.js'
import type { Verdict } from './types.js'

// Issue 23's bar: per scored task, quality retained ≥ 95 % of always-the-strongest-free model, at no more
// free-quota use (daily quotas consumed, Σ calls / rpd over providers that have one) than the best single
// provider. A task with too few covered requests for the routing that ships is n/a, never a pass.

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`

export const dailyQuotasUsed = (quota: RunQuota): number =>
  Object.values(quota.dailyShare).reduce<number>((sum, share) => sum + (share ?? 0), 0)

export function routingVerdicts(r: RoutingFigures): Verdict[] {
  const out: Verdict[] = []
  for (const t of r.tasks) {
    if (!Number.isFinite(t.ceilings.strongest)) continue
    const after = t.runs.find((run) => run.run === AFTER)?.figures
    if (after === undefined) continue
    const enough = after.covered >= MIN_COVERED
    out.push({
      target: `routing replay, ${t.task}: quality retained ≥ 95 % of always-strongest-free (evidence priors)`,
      measured: enough
        ? `${pct(after.retained.value)} [${pct(after.retained.low)}, ${pct(after.retained.high)}], ${after.covered}/${after.requests} scored`
        : `${after.covered}/${after.requests} requests scored: too few to judge`,
      status: !enough ? 'n/a' : after.retained.value >= 0.95 ? 'pass' : 'miss',
    })
  }
  const router = r.quota.find((q) => q.run === AFTER)
  const best = bestSingleProvider(r)
  const bestQuota = r.quota.find((q) => q.run === best)
  if (router !== undefined && bestQuota !== undefined)
    out.push({
      target: 'routing replay: daily free quotas used ≤ the best single provider (highest quality retained)',
      measured: `${dailyQuotasUsed(router).toFixed(2)} vs ${best} ${dailyQuotasUsed(bestQuota).toFixed(2)} (Σ calls / daily limit; providers the catalogue gives no daily limit count 0)`,
      status: dailyQuotasUsed(router) <= dailyQuotasUsed(bestQuota) ? 'pass' : 'miss',
    })
  return out
}

/** The single-provider run with the highest mean quality retained over the tasks it covers enough. */
export function bestSingleProvider(r: RoutingFigures): string | undefined {
  const scored = r.tasks.filter((t) => Number.isFinite(t.ceilings.strongest))
  const runs = r.quota.map((q) => q.run).filter((run) => run.startsWith('only '))
  const meanRetained = (run: string): number => {
    const values = scored.flatMap((t) => {
      const figures = t.runs.find((x) => x.run === run)?.figures
      return figures === undefined || figures.covered < MIN_COVERED ? [] : [figures.retained.value]
    })
    return values.length === 0 ? Number.NEGATIVE_INFINITY : values.reduce((a, b) => a + b, 0) / values.length
  }
  return [...runs].sort((a, b) => meanRetained(b) - meanRetained(a))[0]
}
