import type { CandidateView, PlanView } from '../pipeline/plan/describe-plan.js'

const SHOWN_PROVIDERS = 3
const SHOWN_TEXT_CHARS = 100

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= SHOWN_TEXT_CHARS ? flat : `${flat.slice(0, SHOWN_TEXT_CHARS - 1)}…`
}

/** "gemini/gemini-2.5-pro: prior 0.97 from evidence as of 2026-07-01": why a candidate ranks where it does. */
function candidateLine(candidate: CandidateView): string {
  if (candidate.prior === null) return `${candidate.provider}/${candidate.model}: pinned by the request`
  const about =
    candidate.evidence_model !== null && candidate.evidence_model !== candidate.model
      ? ` about ${candidate.evidence_model}`
      : ''
  const asOf = candidate.as_of === null ? '' : ` as of ${candidate.as_of}`
  const stale = candidate.stale ? ' (stale: older than 180 days)' : ''
  return `${candidate.provider}/${candidate.model}: prior ${candidate.prior.toFixed(2)} from ${candidate.prior_from}${about}${asOf}${stale}`
}

function candidateLines(candidates: readonly CandidateView[]): string[] {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const candidate of candidates) {
    const id = `${candidate.provider}/${candidate.model}`
    if (seen.has(id) || lines.length >= SHOWN_PROVIDERS) continue
    seen.add(id)
    lines.push(`     ${candidateLine(candidate)}`)
  }
  return lines
}

/** `smartsplit plan`'s default output: the plan as a person reads it (the JSON is behind --json). */
export function formatPlan(view: PlanView): string[] {
  const lines = [
    `route: ${view.route === 'enrich' ? 'enrich (web search first)' : 'respond'}   mode: ${view.mode}${view.agentic ? '   agentic' : ''}`,
  ]
  if (view.tasks.length > 1)
    lines.push(
      `split into ${view.tasks.length} parts, run in parallel where independent, then one answer synthesized:`,
    )
  view.tasks.forEach((task, index) => {
    const after =
      task.depends_on === undefined ? '' : `, after ${task.depends_on.map((i) => i + 1).join(' and ')}`
    const label = view.tasks.length > 1 ? `${index + 1}. ` : 'task: '
    const none = task.candidates.length === 0 ? ' → no provider can take it' : ''
    lines.push(`  ${label}${task.type} (${task.complexity}${after})${none}`)
    if (view.tasks.length > 1) lines.push(`     "${oneLine(task.text)}"`)
    lines.push(...candidateLines(task.candidates))
  })
  if (view.reasons.length > 0) lines.push('reasons:', ...view.reasons.map((reason) => `  - ${reason}`))
  return lines
}
