import { classifyClause } from './classify-clause.js'
import { classifyText } from './classify-text.js'
import { estimateComplexity } from './estimate-complexity.js'
import { findDependencies } from './find-dependencies.js'
import { maskMaterial } from './mask-material.js'
import { partText, type Span } from './part-text.js'
import { type Clause, segmentClauses, startsWithRequest } from './segment-clauses.js'
import type { Analysis, Part, TaskType } from './types.js'
import { hasPastedMaterial, readAskParagraphs, type TextView, viewText } from './view-text.js'

const MAX_TEXT_CHARS = 8_000
const MAX_PARTS = 4

interface Draft {
  task: TaskType
  spans: Span[]
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
  const masked = maskMaterial(readAskParagraphs(head, startsWithRequest))
  const clauses = segmentClauses(masked.text)
  if (clauses.length < 2) return null
  const reading: Reading = {
    view,
    analysis,
    hasPastedText: hasPastedMaterial(view),
    isEnumerated: SEPARATE_ASKS.test(view.instruction),
    itemStarts: listItemStarts(masked.text),
  }
  const merged = mergeSameTypes(draftParts(clauses, reading))
  if (merged.length < 2 || merged.length > MAX_PARTS) return null
  const dependencies = findDependencies(
    merged.map((draft) => ({ task: draft.task, text: partText(masked.text, draft.spans, []) })),
  )
  return merged.map((draft, index) => {
    const partWords = partText(masked.text, draft.spans, masked.materials)
    return {
      task: draft.task,
      text: partWords,
      // The first ask usually works on the pasted material, so it inherits the whole prompt's length.
      complexity: estimateComplexity(draft.task, partWords, index === 0 ? text.length : partWords.length),
      dependsOn: dependencies[index] ?? [],
    }
  })
}

/** What the splitter knows of the whole prompt while it types each clause. */
interface Reading {
  view: TextView
  analysis: Analysis
  hasPastedText: boolean
  /** "Two unrelated questions: …" */
  isEnumerated: boolean
  /** Where list items and one-question lines start. */
  itemStarts: ReadonlySet<number>
}

/** A clause opens a new part only when it starts its own request of another type, typed with confidence. */
function draftParts(clauses: Clause[], reading: Reading): Draft[] {
  const drafts: Draft[] = []
  let pending: Clause[] = []
  for (const clause of clauses) {
    // Leading context ("Here is the report from our German customer.") belongs to the first ask.
    if (drafts.length === 0 && !clause.isRequest) {
      pending.push(clause)
      continue
    }
    const spans: Span[] = [...pending, clause]
    const clauseText = [...pending, clause].map((c) => c.text).join(' ')
    pending = []
    const isAnnounced = reading.isEnumerated || reading.itemStarts.has(clause.start)
    const type = classifyClause(clause.text, reading.hasPastedText, isAnnounced && clause.isRequest)
    const current = drafts.at(-1)
    if (current === undefined) {
      const task = type.isStrong
        ? type.task
        : firstPartTask(clauseText, reading.view.context, reading.analysis)
      drafts.push({ task, spans })
    } else if (type.isStrong && clause.isRequest && type.task !== current.task) {
      drafts.push({ task: type.task, spans })
    } else {
      current.spans.push(...spans)
    }
  }
  return drafts
}

// "I have two unrelated questions", "three separate things": the user announces separate asks.
const SEPARATE_ASKS =
  /\b(?:two|three|four|2|3|4|a few|a couple of|several)\s+(?:(?:unrelated|separate|different|quick|unconnected|independent|small|short)\s+)*(?:questions|things|tasks|requests|asks|favou?rs)\b|\b(?:unrelated|on (?:a|another) (?:different|separate) note|separate question)\b|\bdeux (?:questions|choses)\b|\bdos (?:preguntas|cosas)\b|\bzwei (?:fragen|dinge)\b|两个问题|两件事/i

const ITEM_LINE = /^[ \t]*(?:\(?(?:\d{1,2}|[a-h])[.)]|[-*•])[ \t]+\S|[?？؟][ \t]*$/

/**
 * Where the items of a list start: bulleted or numbered lines, or one question per line. Two such
 * lines announce separate asks as plainly as "two questions:" does; a single one announces nothing.
 */
function listItemStarts(instruction: string): Set<number> {
  const starts = new Set<number>()
  let offset = 0
  for (const line of instruction.split('\n')) {
    if (ITEM_LINE.test(line) && line.trim().length > 0) starts.add(offset)
    offset += line.length + 1
  }
  return starts.size >= 2 ? starts : new Set()
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
    if (existing === undefined) byTask.set(draft.task, { task: draft.task, spans: [...draft.spans] })
    else existing.spans.push(...draft.spans)
  }
  return [...byTask.values()]
}
