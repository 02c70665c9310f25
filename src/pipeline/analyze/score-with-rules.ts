import type { Structure } from './read-structure.js'
import { CUES } from './task-cues.js'
import { TASK_TYPES, type TaskType } from './types.js'
import { hasPastedMaterial, type TextView } from './view-text.js'

const QUANTITY_QUESTION =
  /\bhow (?:many|much|long|old|far|fast)\b|\bwhat (?:is|was|will be) (?:the )?(?:total|sum|average|cost|price|percentage|profit|amount|difference)\b|\bwhat (?:percent(?:age)?|fraction)\b/i
const QUANTITY =
  /\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|twice|half|dozen|triple|double)\b/i

export interface RuleContext {
  /** The system prompt is a coding agent's (Claude Code, Cline, Aider…). */
  isCodingAgent: boolean
  /** What a non-agent system prompt asks for ("You are a translator…"), if it is that clear. */
  systemHint: TaskType | null
}

export interface RuleScores {
  /** Additive adjustments to the model's logits, TASK_TYPES order. */
  boosts: Float64Array
  reasons: string[]
}

/**
 * The README's edge-case rules as logit adjustments: strong where a reader would be sure (a stack
 * trace is code, i18n JSON to translate is translation), mild where the words only lean.
 */
export function scoreWithRules(view: TextView, structure: Structure, context: RuleContext): RuleScores {
  const boosts = new Float64Array(TASK_TYPES.length)
  const reasons: string[] = []
  const nudge = (task: TaskType, amount: number, reason: string): void => {
    boosts[TASK_TYPES.indexOf(task)]! += amount
    reasons.push(reason)
  }
  const ask = view.instruction
  const hasPastedText = hasPastedMaterial(view)
  const isCodeShaped =
    structure.hasStackTrace || structure.hasDiff || (structure.hasFence && structure.hasCodeLines)

  if (structure.hasStackTrace) nudge('code', 3, 'stack trace or error log')
  if (structure.hasDiff) nudge('code', 2, 'diff')
  if (structure.hasFence && structure.hasCodeLines) nudge('code', 1.5, 'code block')
  else if (structure.hasCodeLines) nudge('code', 1, 'code-like lines')
  if (structure.hasFilePath) nudge('code', 0.8, 'file path')
  if (context.isCodingAgent) {
    // Inside a coding agent even a terse "make the header sticky" is work on the user's code.
    nudge('code', 2.5, 'coding-agent system prompt')
    nudge('boilerplate', -1.5, 'coding-agent system prompt')
  }
  if (context.systemHint !== null)
    nudge(context.systemHint, 2, `system prompt asks for ${context.systemHint}`)

  const asksTranslation = CUES.translateVerb.test(ask)
  if (asksTranslation) {
    if (CUES.codeToCode.test(ask) && !CUES.naturalTextInCode.test(ask)) {
      nudge('code', 4, 'code-to-code conversion is code')
      nudge('translation', -3, 'code-to-code conversion is not translation')
    } else {
      nudge('translation', 2.5, 'explicit translate request')
      if (structure.hasI18nResource) nudge('translation', 2, 'localization resource to translate')
      if (isCodeShaped) nudge('code', -2, 'code only carries text to translate')
    }
  } else if (CUES.codeToCode.test(ask)) {
    nudge('code', 2.5, 'conversion between programming languages')
  }
  if (CUES.meaningQuestion.test(ask)) nudge('translation', 2, 'asks what a phrase means or how to say it')

  const asksSummary = CUES.summarizeVerb.test(ask)
  if (asksSummary) {
    if (isCodeShaped || (structure.hasCodeLines && CUES.codeNoun.test(ask))) {
      nudge('code', 3, 'summarizing code is code')
      nudge('summarize', -2, 'summarizing code is code')
    } else if (hasPastedText) {
      nudge('summarize', 2, 'summarize the given text')
    } else {
      nudge('summarize', -1.5, 'nothing pasted to summarize')
      nudge('general', 1, 'summary of a known work')
    }
  } else if (hasPastedText && CUES.extractVerb.test(ask)) {
    nudge('summarize', 1.5, 'extraction from the given text')
  } else if (hasPastedText && (CUES.constraints.test(ask) || CUES.diagnosis.test(ask))) {
    // Rule 14: pasted data with a decision, plan or diagnosis to work out is reasoning over it, not a summary.
    nudge('reasoning', 1, 'decision or diagnosis over the given data')
    nudge('summarize', -1, 'nothing asked to be condensed or extracted')
  }

  const isFresh = CUES.freshness.test(ask) || CUES.currentRole.test(ask) || CUES.alwaysFresh.test(ask)
  if (isFresh || CUES.webVerb.test(ask)) {
    if (CUES.buildProgram.test(ask) && !CUES.webVerb.test(ask)) {
      nudge('code', 2.5, 'a program that fetches live data is code')
      nudge('web_search', -2.5, 'a program that fetches live data is code')
    } else if (CUES.currentRole.test(ask)) {
      nudge('web_search', 3, 'current office holder, age or date')
    } else if (CUES.alwaysFresh.test(ask) || (isFresh && CUES.freshTopic.test(ask))) {
      nudge('web_search', 2.5, 'fresh facts: prices, weather, versions, news')
    } else if (CUES.webVerb.test(ask)) {
      nudge('web_search', 1.5, 'asks to look something up')
    } else if (!hasPastedText) {
      nudge('web_search', 0.8, 'time-sensitive wording')
    }
  }

  // Rule 8: decisions and questions about software tools and architecture are code, however plain the words.
  const isSoftwareTopic = CUES.softwareTopic.test(ask)
  if (isSoftwareTopic && !asksTranslation && !isFresh && !asksSummary) {
    nudge('code', 1, 'software subject')
  }
  // Rule 8 again, for the concepts themselves: "difference between a mutex and a semaphore" is code.
  if (CUES.programmingConcept.test(ask) && !asksTranslation && !isFresh && !asksSummary && !hasPastedText) {
    nudge('code', 3, 'programming concept')
  }
  if (CUES.puzzle.test(ask)) nudge('reasoning', 2, 'logic puzzle')
  if (CUES.estimate.test(ask) && !structure.hasMathNotation) nudge('reasoning', 1.5, 'Fermi estimate')
  if (CUES.mathVerb.test(ask) && (structure.hasManyNumbers || structure.hasMathNotation)) {
    nudge('math', 1.2, 'calculation with numbers')
  }
  if (structure.hasMathNotation && !isCodeShaped) nudge('math', 0.6, 'math notation')
  if (CUES.mathSubject.test(ask) && !isCodeShaped && !isSoftwareTopic) nudge('math', 0.8, 'about mathematics')
  // Rule 15: a story with quantities that asks for a quantity is a word problem, not a puzzle.
  if (
    QUANTITY_QUESTION.test(ask) &&
    QUANTITY.test(ask) &&
    !CUES.puzzle.test(ask) &&
    !CUES.estimate.test(ask) &&
    !isCodeShaped
  ) {
    nudge('math', 0.8, 'word problem asking for a quantity')
  }

  if (view.length < 80 && CUES.greeting.test(ask)) nudge('boilerplate', 5, 'greeting or thanks')
  if (CUES.boilerplateAsk.test(ask)) nudge('boilerplate', 1.5, 'stock template, config or commit message')
  if (CUES.rewordAsk.test(ask) && !isCodeShaped) nudge('boilerplate', 1.5, 'trivial rewording or formatting')

  return { boosts, reasons }
}
