import { classifyText } from './classify-text.js'
import { stripConnectors } from './segment-clauses.js'
import { CUES } from './task-cues.js'
import type { TaskType } from './types.js'

export interface ClauseType {
  task: TaskType
  /** Sure enough to open a separate part. */
  isStrong: boolean
}

const LANGUAGE_NAME =
  '(?:english|french|german|spanish|italian|portuguese|dutch|polish|swedish|chinese|mandarin|japanese|korean|russian|arabic|turkish|hindi|greek|czech)'
const VERSION_IN_LANGUAGE = new RegExp(
  `\\b(?:an?|the)\\s+${LANGUAGE_NAME}\\s+(?:version|translation)\\b|\\bin ${LANGUAGE_NAME} (?:too|as well)\\b`,
  'i',
)
const MAKE_VERB =
  /^(?:write|draft|compose|create|build|implement|generate|add|give me|show me|suggest|brainstorm|come up with|propose|make(?: up)?|turn (?:them|it|this) into|scaffold|set up|écris|rédige|escribe|redacta|schreib\w*|erstelle|scrivi|escreva|写|给我)\b/i
const PROSE_NOUN =
  /\b(?:poem|limerick|haiku|song|story|toast|speech|email|e-mail|mail|letter|invitation|post|tweet|caption|slogan|tagline|names?|ideas?|titles?|jokes?|reply|response|message|note|announcement|bio|blurb|pitch|paragraph|update|report|explanation|headline|intro|introduction|rhyme|verse|motto|recipe|essay|article|blog|dialogue|riddle|quiz|toast|apology|thank-you|poème|poema|gedicht|correo|carta|lettre|nachricht|respuesta|réponse|antwort|mensaje|messaggio|mensagem|courriel|brief|disculpa|excuses|entschuldigung|historia|histoire|geschichte|cuento)\b|邮件|诗|回复|短信|故事/i
const CODE_NOUN =
  /\b(?:script|function|program|class|query|regex|migration|endpoint|tests?|code|snippet|simulation|cli|component|sql|bash|python|javascript|typescript|rust|java|page|route|handler|module|api)\b/i
const FIX_CODE =
  /^(?:fix|debug|refactor|optimi[sz]e)\b|^(?:explain|show(?: me)?|tell me)\b[^.?!\n]{0,60}\b(?:in|using|with) (?:python|javascript|typescript|java|rust|go|c\+\+|c#|ruby|php|kotlin|swift|sql|bash|regex|pandas)\b|^(?:show me how to|how (?:do|can) i)\b.{0,60}\b(?:runtime|code|programmatically|in python|in javascript|api|cli|command)\b|^(?:arregla|corrige|behebe|repare)\b/i
const BOILERPLATE_CLAUSE =
  /\b(?:dockerfile|docker-compose(?:\.ya?ml)?|(?:minimal|basic|simple|standard) (?:github actions |ci |gitlab )?(?:workflow|pipeline)|commit message|pr (?:title|description)|gitignore)\b/i
const DECIDE =
  /^(?:help (?:us|me) decide|decide|should (?:we|i)|which (?:option|one|offer) should|recommend whether|estimate)\b/i
const COMPUTE =
  /^(?:derive|prove|compute|calculate|work out|solve|figure out how (?:much|many)|how (?:much|many)|what(?:'s| is) the (?:probability|expected|monthly payment|break-?even)|convert (?:the )?(?:[$€£¥]\s?)?\d+)\b|^(?:calcul\w*|berechne|calcola|请?计算|请?求|请?解)/i

/**
 * Types one clause of a multi-part instruction. Cue patterns (verb + object) are trusted; the model
 * alone must be very confident before a clause may start its own part.
 */
export function classifyClause(text: string, hasPastedText: boolean, isEnumerated = false): ClauseType {
  const core = stripConnectors(text.replace(/^[\s,;:.(）)\-–—、，]+/, ''))
  if (CUES.translateVerb.test(core) && !CUES.codeToCode.test(core))
    return { task: 'translation', isStrong: true }
  if (VERSION_IN_LANGUAGE.test(core) || CUES.meaningQuestion.test(core))
    return { task: 'translation', isStrong: true }
  if (CUES.boilerplateAsk.test(core) || BOILERPLATE_CLAUSE.test(core))
    return { task: 'boilerplate', isStrong: true }
  if (CUES.summarizeVerb.test(core) && hasPastedText) return { task: 'summarize', isStrong: true }
  if (CUES.webVerb.test(core) || CUES.currentRole.test(core)) return { task: 'web_search', isStrong: true }
  if (CUES.alwaysFresh.test(core) && readDeliverable(core) !== 'code')
    return { task: 'web_search', isStrong: true }
  if (CUES.freshness.test(core) && CUES.freshTopic.test(core) && readDeliverable(core) !== 'code') {
    return { task: 'web_search', isStrong: true }
  }
  // "Fix the typos", "fix the grammar": rewording, not a code fix (FIX_CODE would read the verb alone).
  if (CUES.rewordAsk.test(core) && !CODE_NOUN.test(core)) return { task: 'boilerplate', isStrong: true }
  const made = readDeliverable(core)
  if (made !== null) return { task: made, isStrong: true }
  if (CUES.puzzle.test(core)) return { task: 'reasoning', isStrong: true }
  if (COMPUTE.test(core)) return { task: 'math', isStrong: true }
  if (DECIDE.test(core)) return { task: 'reasoning', isStrong: true }
  // Without a cue, only a near-certain model reading that is not an elaboration ("explain why…")
  // may open a part: explanations and follow-up questions belong to the ask before them.
  const model = classifyText(core)
  // After "two unrelated questions: first… then…" each question is announced as its own ask.
  if (isEnumerated) return { task: model.task, isStrong: model.confidence >= 0.6 }
  return { task: model.task, isStrong: model.confidence >= 0.97 && !ELABORATION.test(core) }
}

const ELABORATION = /^(?:explain|why|what|how|describe|suggest|tell me|include|show|and|also)\b/i

/** "write a bash script…" is code, "write an email…" is prose: the first object named decides. */
function readDeliverable(core: string): TaskType | null {
  if (FIX_CODE.test(core)) return 'code'
  if (!MAKE_VERB.test(core)) return null
  const prose = core.search(PROSE_NOUN)
  const code = core.search(CODE_NOUN)
  if (prose < 0 && code < 0) return null
  if (code < 0) return 'general'
  if (prose < 0) return 'code'
  return prose < code ? 'general' : 'code'
}
