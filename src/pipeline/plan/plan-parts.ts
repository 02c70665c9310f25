import type { Mode } from '../../config/schema.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { splitIntoParts } from '../analyze/split-parts.js'
import type { Analysis, Part } from '../analyze/types.js'
import type { Candidate } from '../route/types.js'
import type { PlannedPart } from '../types.js'
import { lastUserText } from './last-user-text.js'

/** Most parts run per request, per mode: splitting costs calls, and more parts rarely help. */
export const SUBTASK_CAP: Readonly<Record<Mode, number>> = { economy: 3, balanced: 5, quality: 8 }

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
    // The splitter reads whether a part refers to an earlier part's output ("translate your explanation").
    dependsOn: (part.dependsOn ?? []).filter((earlier) => earlier < index),
  }))
  return planned.every((part) => part.candidates.length > 0) ? planned : null
}
