import type { RoutingFigures, RunQuota } from '../scenarios/routing.js'
import { AFTER } from '../scenarios/routing.js'
import { MIN_COVERED } from './render-routing.js'
import type { Verdict } from './types.js'

// Issue 23's bar: per task (here per view: a task scored by one source category), quality retained ≥ 95 %
// of always-the-strongest-free model, at no more free-quota use (Σ over providers of the share of their
// daily request limits spent) than the best single provider. A view with too few covered requests for the
// routing that ships is n/a, never a pass. Simulated outcomes say so in the target.

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`

export const dailyQuotasUsed = (quota: RunQuota): number =>
  Object.values(quota.dailyShare).reduce<number>((sum, share) => sum + (share ?? 0), 0)

export function routingVerdicts(r: RoutingFigures): Verdict[] {
  const out: Verdict[] = []
  for (const v of r.views) {
    const after = v.runs.find((run) => run.run === AFTER)?.figures
    if (after === undefined || after.requests === 0) continue
    const enough = after.covered >= MIN_COVERED
    out.push({
      target: `routing replay (${v.kind}), ${v.view}: quality retained ≥ 95 % of always-strongest-free (evidence priors)`,
      measured: enough
        ? `${pct(after.retained.value)} [${pct(after.retained.low)}, ${pct(after.retained.high)}], ${after.covered}/${after.requests} scored`
        : `${after.covered}/${after.requests} requests scored: too few to judge`,
      status: !enough ? 'n/a' : after.retained.value >= 0.95 ? 'pass' : 'miss',
    })
  }
  const router = r.quota.find((q) => q.run === AFTER)
  const best = bestSingleProvider(r)
  const bestQuota = r.quota.find((q) => q.run === best)
  if (router !== undefined && bestQuota !== undefined) {
    // A comparator whose calls mostly go to models with no published daily limit has a quota use of
    // "unknown", not 0: comparing against it would call any use of a metered provider a miss.
    const unpublished = bestQuota.unmeteredCalls > 0.05 * bestQuota.served
    out.push({
      target: 'routing replay: daily free quotas used ≤ the best single provider (highest quality retained)',
      measured: `${dailyQuotasUsed(router).toFixed(2)} vs ${best} ${dailyQuotasUsed(bestQuota).toFixed(2)} (Σ calls / daily limit where the catalogue has one; calls with none: ${router.unmeteredCalls} vs ${bestQuota.unmeteredCalls}${unpublished ? `; ${best} has no published daily limit for ${bestQuota.unmeteredCalls} of its ${bestQuota.served} calls, so its quota use is unknown` : ''})`,
      status: unpublished ? 'n/a' : dailyQuotasUsed(router) <= dailyQuotasUsed(bestQuota) ? 'pass' : 'miss',
    })
  }
  return out
}

/**
 * The single-provider run with the highest mean quality retained over the views it covers enough, among
 * those that served at least 95 % of the day: one that cannot carry the day is no alternative to routing.
 */
export function bestSingleProvider(r: RoutingFigures): string | undefined {
  const carries = (q: RunQuota): boolean => q.served >= 0.95 * (q.served + q.unserved)
  const runs = r.quota.filter((q) => q.run.startsWith('only ') && carries(q)).map((q) => q.run)
  const meanRetained = (run: string): number => {
    const values = r.views.flatMap((v) => {
      const figures = v.runs.find((x) => x.run === run)?.figures
      return figures === undefined || figures.covered < MIN_COVERED ? [] : [figures.retained.value]
    })
    return values.length === 0 ? Number.NEGATIVE_INFINITY : values.reduce((a, b) => a + b, 0) / values.length
  }
  return [...runs].sort((a, b) => meanRetained(b) - meanRetained(a))[0]
}
