import type { Interval } from '../routing/replay-metrics.js'
import type { RoutingFigures } from '../scenarios/routing.js'

// The routing replay's part of BENCHMARKS.md: the setup and what its outcomes are, then per view (a task
// scored by one source category) the quality each policy reached with bootstrap CIs, then what each
// policy spent of the free quotas.

/** Below this many covered requests a view's ratios are shown but not worth reading. */
export const MIN_COVERED = 20

const pct = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)} %`
const ci = (interval: Interval, covered: number): string =>
  covered === 0 ? '—' : `${pct(interval.value)} [${pct(interval.low)}, ${pct(interval.high)}]`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const header = (cells: string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`

function setup(r: RoutingFigures): string[] {
  const limits = r.providers
    .map(
      (p) =>
        `${p.name} (${p.fastModel} / ${p.strongModel}; ${p.dailyLimit === null ? 'no daily request limit published' : `${p.dailyLimit} requests a day`})`,
    )
    .join(', ')
  const recorded =
    r.recorded.length === 0
      ? 'No local per-prompt records were present: every figure below is simulated.'
      : `Local per-prompt records were present and are scored in views of their own, marked recorded: ${r.recorded
          .map((s) => `${s.source} (${s.items} prompts; ${s.licence})`)
          .join('; ')}.`
  return [
    `One simulated working day of one user: a request every ${r.intervalSec} s for ${r.hours} h (${r.requests} requests), drawn from our own TRAIN prompts in their task proportions, each analyzed by the real analyzer and ranked by the real router (${r.mode} mode) against the real provider state on a ManualClock, with the catalogue's free-tier limits per quota counter: ${limits}. No paid provider is configured: a request no free provider can take is unserved.`,
    '',
    `**The outcomes are simulated, not recorded.** No model's answer to these prompts is on record (no LLM is reachable here). Each view is one source category the task map names for the task; the rate at which a model's answers succeed is its published figure (data/evidence/snapshots/). Per prompt and view one difficulty u ~ U(0,1) is drawn (seeded) and a model succeeds when u < its rate, so models agree on which prompts are hard. A model no view covers answers unscored (coverage), never imputed. The priors are built from the same figures, so this replay measures what quota, availability and ranking cost against those figures, not whether they predict real prompts. ${recorded} Always-the-strongest-free model (quotas ignored): ${r.reference.strongest}. Bootstrap: ${r.resamples} resamples of the covered requests, 95 % percentile intervals.`,
  ]
}

function viewTables(r: RoutingFigures): string[] {
  const lines: string[] = []
  for (const v of r.views) {
    const rates = Object.entries(v.rates)
      .sort((a, b) => b[1] - a[1])
      .map(([model, rate]) => `${model} ${pct(rate)}`)
      .join(', ')
    lines.push(
      '',
      `**${v.view}** (${v.kind}; success = ${v.outcome}; ${v.requests} requests). Rates: ${rates}. Ceilings, quotas ignored: always ${r.reference.strongest} ${pct(v.ceilings.strongest)}, best single model ${r.reference.oracle[v.view] ?? '—'} ${pct(v.ceilings.taskOracle)}, weakest ${r.reference.weakest[v.view] ?? '—'} ${pct(v.ceilings.weakest)}, per-prompt oracle ${pct(v.ceilings.promptOracle)}.`,
      '',
      header([
        'policy',
        'served',
        'scored (served, model covered)',
        'quality of the scored',
        'retained vs always-strongest [95 % CI]',
        'oracle gap closed [95 % CI]',
      ]),
      ...v.runs.map(({ run, figures }) =>
        row([
          run,
          `${figures.served}/${figures.requests}`,
          `${figures.covered}${figures.covered < MIN_COVERED ? ' (too few)' : ''}`,
          figures.covered === 0 ? '—' : pct(figures.quality),
          ci(figures.retained, figures.covered),
          ci(figures.gapClosed, figures.covered),
        ]),
      ),
    )
  }
  return lines
}

function quotaTable(r: RoutingFigures): string[] {
  const names = r.providers.map((p) => p.name)
  return [
    '',
    header([
      'policy',
      'served',
      'unserved',
      'paid calls',
      'mean fallback depth',
      'calls with no daily limit known',
      ...names.map((n) => `${n} calls (share of daily)`),
    ]),
    ...r.quota.map((q) =>
      row([
        q.run,
        String(q.served),
        String(q.unserved),
        String(q.paidCalls),
        q.meanFallbackDepth.toFixed(2),
        String(q.unmeteredCalls),
        ...names.map((n) => {
          if (!Object.hasOwn(q.calls, n)) return '—'
          const share = q.dailyShare[n]
          return `${q.calls[n] ?? 0}${share === null || share === undefined ? '' : ` (${pct(share)})`}`
        }),
      ]),
    ),
  ]
}

export function renderRouting(r: RoutingFigures): string {
  return [...setup(r), ...viewTables(r), ...quotaTable(r)].join('\n')
}
