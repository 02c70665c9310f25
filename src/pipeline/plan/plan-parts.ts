import type { Mode } from '../../config/schema.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { splitIntoParts } from '../analyze/split-parts.js'
import type { Analysis, Part } from '../analyze/types.js'
import type { Candidate } from '../route/types.js'
import type { PlannedPart } from '../types.js'
import { lastUserText } from './last-user-text.js'

/** Most parts run per request, per mode: splitting costs calls, and more parts rarely help. */
export const SUBTASK_CAP: Readonly<Record<Mode, number>> = { economy: 3, balanced: 5, quality: 8 }

// A later part that points back at an earlier deliverable ("translate the poem", "summarize it",
// "traduis-le", "übersetze das Gedicht", "把它翻译") works on that part's answer, so it waits for it.
const REFERS_BACK =
  /\b(it|its|them|this|that|these|those|the (?:poem|summary|code|function|script|result|results|answer|text|story|email|letter|output|docstrings?|explanation|list|table|above|previous))\b|\babove\b|\b(?:le|la|les|el|lo|das|die|den|dem)\s+\w+\b.*\b(?:ci-dessus|anterior|oben)\b|(?:traduis|résume)-(?:le|la|les)|它|上面|以上/i

function dependenciesOf(part: Part, index: number): number[] {
  if (index === 0) return []
  return REFERS_BACK.test(part.text) ? [index - 1] : []
}

/**
 * The parts of a genuinely multi-part prompt, each with its own ranked candidates, or null. Agentic
 * and background requests are never split (the splitter refuses them), nor is anything past the cap.
 */
export function planParts(
  request: ChatRequest,
  analysis: Analysis,
  mode: Mode,
  rank: (part: Part) => Candidate[],
): PlannedPart[] | null {
  const parts = splitIntoParts(lastUserText(request), analysis)
  if (parts === null || parts.length < 2) return null
  const planned = parts.slice(0, SUBTASK_CAP[mode]).map((part, index) => ({
    ...part,
    index,
    candidates: rank(part),
    dependsOn: dependenciesOf(part, index),
  }))
  return planned.every((part) => part.candidates.length > 0) ? planned : null
}
