import type { Interval } from '../routing/replay-metrics.js'
import type { RoutingFigures } from '../scenarios/routing.js'

// The routing replay's part of BENCHMARKS.md: the setup and its coverage, then per scored task the quality
// each policy reached with bootstrap CIs, then what each policy spent of the free quotas.

/** Below this many covered requests a task's ratios are shown but not worth reading. */
export const MIN_COVERED = 20

const pct = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)} %`
const ci = (interval: Interval, covered: number): string =>
  covered === 0 ? '—' : `${pct(interval.value)} [${pct(interval.low)}, ${pct(interval.high)}]`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const header = (cells: string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`

function setup(r: RoutingFigures): string[] {
  const limits = r.providers
    .map((p) => `${p.name} (${p.fastModel} / ${p.strongModel}; rpm ${p.rpm ?? '—'}, rpd ${p.rpd ?? '—'})`)
    .join(', ')
  const sources = r.sources
    .map((s) => `${s.source} (${s.task}, ${s.items} items × ${s.models.join(', ')}; ${s.licence})`)
    .join('; ')
  return [
    `One simulated working day of one user: a request every ${r.intervalSec} s for ${r.hours} h (${r.requests} requests), tasks in the proportions of the TRAIN prompts, each analyzed by the real analyzer and ranked by the real router (${r.mode} mode) against the real provider state on a ManualClock, with the catalogue's free-tier limits, which the state applies to each model of a provider (per-model limits, when the catalogue has them, plug in at the same place): ${limits}. No paid provider is configured: a request no free provider can take is unserved. The answer's quality is the public record's score for the model that answered (for \`openrouter/free\`, a pool member drawn at random). Bootstrap: ${r.resamples} resamples of the covered requests, 95 % percentile intervals.`,
    '',
    `Per-item records: ${sources}. The other tasks are drawn from our TRAIN prompts, whose answers no model ever recorded (no LLM is reachable here): they route and spend quota, and count as uncovered. Always-the-strongest-free model (quotas ignored): ${r.reference.strongest}; per-task oracle / weakest: ${Object.entries(
      r.reference.oracle,
    )
      .map(
        ([task, model]) =>
          `${task} ${model} / ${r.reference.weakest[task as keyof typeof r.reference.weakest] ?? '—'}`,
      )
      .join(', ')}.`,
  ]
}

function taskTables(r: RoutingFigures): string[] {
  const lines: string[] = []
  const uncovered: string[] = []
  for (const t of r.tasks) {
    if (!Number.isFinite(t.ceilings.strongest)) {
      uncovered.push(`${t.task} ${t.requests}`)
      continue
    }
    lines.push(
      '',
      `**${t.task}** (${t.requests} requests). Ceilings on its items, quotas ignored: always ${r.reference.strongest} ${pct(t.ceilings.strongest)}, per-task oracle ${pct(t.ceilings.taskOracle)}, weakest ${pct(t.ceilings.weakest)}, per-prompt oracle ${pct(t.ceilings.promptOracle)}.`,
      '',
      header([
        'policy',
        'served',
        'scored (served and on record)',
        'quality of the scored',
        'retained vs always-strongest [95 % CI]',
        'oracle gap closed [95 % CI]',
      ]),
      ...t.runs.map(({ run, figures }) =>
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
  if (uncovered.length > 0)
    lines.push('', `Uncovered tasks (requests routed, none scored): ${uncovered.join(', ')}.`)
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
      ...names.map((n) => `${n} calls (share of daily)`),
    ]),
    ...r.quota.map((q) =>
      row([
        q.run,
        String(q.served),
        String(q.unserved),
        String(q.paidCalls),
        q.meanFallbackDepth.toFixed(2),
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
  return [...setup(r), ...taskTables(r), ...quotaTable(r)].join('\n')
}
