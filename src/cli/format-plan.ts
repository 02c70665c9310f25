import type { PlanView } from '../pipeline/plan/describe-plan.js'

const SHOWN_PROVIDERS = 3
const SHOWN_TEXT_CHARS = 100

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= SHOWN_TEXT_CHARS ? flat : `${flat.slice(0, SHOWN_TEXT_CHARS - 1)}…`
}

function providerList(providers: readonly string[]): string {
  if (providers.length === 0) return 'no provider can take it'
  const shown = providers.slice(0, SHOWN_PROVIDERS).join(', ')
  const more = providers.length - SHOWN_PROVIDERS
  return more > 0 ? `${shown}, +${more} more` : shown
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
    lines.push(`  ${label}${task.type} (${task.complexity}${after}) → ${providerList(task.providers)}`)
    if (view.tasks.length > 1) lines.push(`     "${oneLine(task.text)}"`)
  })
  if (view.reasons.length > 0) lines.push('reasons:', ...view.reasons.map((reason) => `  - ${reason}`))
  return lines
}
