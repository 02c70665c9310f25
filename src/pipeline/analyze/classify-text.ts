import { extractFeatures } from './extract-features.js'
import { readStructure } from './read-structure.js'
import { scoreWithModel, toProbabilities } from './score-with-model.js'
import { type RuleContext, scoreWithRules } from './score-with-rules.js'
import { CUES } from './task-cues.js'
import { TASK_TYPES, type TaskType } from './types.js'
import { viewText } from './view-text.js'

export interface TextClassification {
  task: TaskType
  /** Probability of the chosen task after rules, 0–1. */
  confidence: number
  /** Probabilities in TASK_TYPES order. */
  probabilities: Float64Array
  reasons: string[]
  /** The text is about software: code, a stack trace, a diff, a file path, or it names code. */
  isAboutCode: boolean
}

const NO_CONTEXT: RuleContext = { isCodingAgent: false, systemHint: null }

/** Model logits plus rule adjustments over a bounded view of the text. */
export function classifyText(text: string, length = text.length, context = NO_CONTEXT): TextClassification {
  const view = viewText(text, length)
  const structure = readStructure(view)
  const logits = scoreWithModel(extractFeatures(view, structure))
  const rules = scoreWithRules(view, structure, context)
  for (let c = 0; c < logits.length; c++) logits[c]! += rules.boosts[c]!
  const probabilities = toProbabilities(logits)
  let best = 0
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c
  return {
    task: TASK_TYPES[best] ?? 'general',
    confidence: probabilities[best] ?? 0,
    probabilities,
    reasons: rules.reasons,
    isAboutCode:
      structure.hasCodeLines ||
      structure.hasStackTrace ||
      structure.hasDiff ||
      structure.hasFilePath ||
      CUES.codeNoun.test(view.instruction),
  }
}
