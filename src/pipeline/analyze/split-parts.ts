import { classifyClause } from './classify-clause.js'
import { classifyText } from './classify-text.js'
import { estimateComplexity } from './estimate-complexity.js'
import { segmentClauses, startsWithRequest } from './segment-clauses.js'
import type { Analysis, Part, TaskType } from './types.js'
import { hasPastedMaterial, readAskParagraphs, viewText } from './view-text.js'

const MAX_TEXT_CHARS = 8_000
const MAX_PARTS = 4

interface Draft {
  task: TaskType
  text: string
}

/** Agentic and background requests are one unit of work for one model: never split them. */
export function canSplit(analysis: Pick<Analysis, 'isAgentic' | 'isBackgroundCall'>): boolean {
  return !analysis.isAgentic && !analysis.isBackgroundCall
}

/**
 * Splits a multi-part prompt into typed parts (README rules 1–7): a clause opens a new part only
 * when it starts its own request of a different type; same-type parts are merged; modifiers,
 * conjunctions inside one request and pasted context never split. Returns null for a single task.
 */
export function splitIntoParts(text: string, analysis: Analysis): Part[] | null {
  if (!canSplit(analysis)) return null
  const head = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text
  const view = viewText(head, text.length)
  const clauses = segmentClauses(maskMaterial(readAskParagraphs(head, startsWithRequest)))
  if (clauses.length < 2) return null
  const hasPastedText = hasPastedMaterial(view)
  const isEnumerated = SEPARATE_ASKS.test(view.instruction)

  const drafts: Draft[] = []
  let pending = ''
  for (const clause of clauses) {
    // Leading context ("Here is the report from our German customer.") belongs to the first ask.
    if (drafts.length === 0 && !clause.isRequest) {
      pending = `${pending} ${clause.text}`.trim()
      continue
    }
    const clauseText = pending.length > 0 ? `${pending} ${clause.text}` : clause.text
    pending = ''
    const type = classifyClause(clause.text, hasPastedText, isEnumerated && clause.isRequest)
    const current = drafts.at(-1)
    if (current === undefined) {
      drafts.push({
        task: type.isStrong ? type.task : firstPartTask(clauseText, view.context, analysis),
        text: clauseText,
      })
    } else if (type.isStrong && clause.isRequest && type.task !== current.task) {
      drafts.push({ task: type.task, text: clauseText })
    } else {
      current.text = `${current.text} ${clauseText}`
    }
  }

  const parts = mergeSameTypes(drafts)
  if (parts.length < 2 || parts.length > MAX_PARTS) return null
  return parts.map((part, index) => ({
    task: part.task,
    text: part.text,
    // The first ask usually works on the pasted material, so it inherits the whole prompt's length.
    complexity: estimateComplexity(part.task, part.text, index === 0 ? text.length : part.text.length),
  }))
}

// "I have two unrelated questions", "three separate things": the user announces separate asks.
const SEPARATE_ASKS =
  /\b(?:two|three|four|2|3|4|a few|a couple of|several)\s+(?:(?:unrelated|separate|different|quick|unconnected|independent|small|short)\s+)*(?:questions|things|tasks|requests|asks|favou?rs)\b|\b(?:unrelated|on (?:a|another) (?:different|separate) note|separate question)\b|\bdeux (?:questions|choses)\b|\bdos (?:preguntas|cosas)\b|\bzwei (?:fragen|dinge)\b|两个问题|两件事/i

const QUOTED = /(["“«„「『])[^"”»“」』\n]{20,}["”»“」』]/g
const TEXT_OPERATIONS: ReadonlySet<TaskType> = new Set(['translation', 'boilerplate', 'summarize'])
const LEAD_AND_MATERIAL = /^([^\n:：]{3,200})[:：][ \t]*(\S[^\n]{40,})/
const MATERIAL_REFERENCE =
  /\b(?:th(?:is|ese)|the following|below|attached)\b|ce texte|ces |este |estos |estas |diese[nmrs]? |这|以下/i

const NEXT_ASK =
  /[.;!?]\s+(?=(?:and then|and also|then|also|after that|afterwards|next|finally|plus|second(?:ly)?|and)[\s,]+(?:(?:can|could|would) you\s+)?(?:write|draft|compose|translate|summari[sz]e|explain|give|tell|find|look|search|check|compute|calculate|solve|create|generate|make|suggest|list|convert|fix|what|who|when|where|which|how|why)\b)/i

/**
 * Text the user hands over to be worked on is data, not requests: quoted passages, and what follows
 * "Translate / reword / summarize this:" on the same line ("…: fix the link, add the logo").
 */
function maskMaterial(instruction: string): string {
  const masked = instruction.replace(QUOTED, '"…"')
  const lead = LEAD_AND_MATERIAL.exec(masked)
  if (lead === null) return masked
  const leadText = lead[1] ?? ''
  const isMaterial =
    TEXT_OPERATIONS.has(classifyClause(leadText, true).task) ||
    (MATERIAL_REFERENCE.test(leadText) && !startsWithRequest(lead[2] ?? ''))
  if (!isMaterial) return masked
  // The material runs to the end of the line unless a connector opens the next ask ("… Then write…").
  const material = lead[2] ?? ''
  const next = NEXT_ASK.exec(material)
  const rest = next === null ? '' : ` ${material.slice(next.index).replace(/^[\s.;!?]+/, '')}`
  return `${lead[1]}: "…"${rest}${masked.slice(lead[0].length)}`
}

/** A first clause without a clear cue: read it with the pasted material, then trust the whole analysis. */
function firstPartTask(clause: string, context: string, analysis: Analysis): TaskType {
  const reading = classifyText(context.length > 0 ? `${clause}\n\n${context}` : clause)
  return reading.confidence >= 0.5 ? reading.task : analysis.task
}

/** Every gold part has a distinct type: same-type asks are one deliverable (rule 2). */
function mergeSameTypes(drafts: Draft[]): Draft[] {
  const byTask = new Map<TaskType, Draft>()
  for (const draft of drafts) {
    const existing = byTask.get(draft.task)
    if (existing === undefined) byTask.set(draft.task, { ...draft })
    else existing.text = `${existing.text} ${draft.text}`
  }
  return [...byTask.values()]
}
