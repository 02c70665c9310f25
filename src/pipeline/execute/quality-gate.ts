// Free models sometimes answer with nothing, a refusal, or a cut-off stub. Each check here is anchored and
// conservative: a failed gate costs a fallback to the next provider (the first answer is kept as the
// last resort), while a false positive throws away a good answer.

export type QualityVerdict =
  | { ok: true }
  | { ok: false; reason: 'empty' | 'refusal' | 'truncated' | 'no_code' }

export interface AnswerToCheck {
  text: string
  finishReason: string | null
  /** The user asked for code to be written, so an answer without any is not one. */
  expectsCode: boolean
  hasToolCalls: boolean
}

/** Below this, an answer cut by `finish_reason: length` is a stub (a reasoning model spent its budget thinking). */
const TRUNCATED_MAX_CHARS = 20
/** A "refusal" followed by this much text or any code answered after all ("I can't browse, but here's…"). */
const REFUSAL_MAX_CHARS = 600

// What a refused request is about; "I cannot stress enough" or "I can't believe" are not refusals.
const EN_ACTS =
  'help|assist|provide|fulfill|fulfil|comply|do that|do this|create|generate|write|answer|complete|support|engage|share|give|offer|produce|continue|discuss|access|browse|process|respond'
const FR_ACTS =
  'aider|vous aider|t.aider|répondre|fournir|accéder|traiter|effectuer|générer|créer|écrire|faire (?:ça|cela)|satisfaire|donner|assister|participer'
const ES_ACTS =
  'ayudar|ayudarte|ayudarle|proporcionar|responder|cumplir|hacer eso|generar|crear|escribir|acceder|asistir|dar|ofrecer|realizar|completar|satisfacer'
const DE_ACTS =
  'helfen|behilflich|beantworten|erstellen|generieren|schreiben|liefern|bereitstellen|geben|erfüllen|zugreifen|unterstützen|ausführen|tun|machen'
const ZH_ACTS = '帮助|帮您|帮你|协助|提供|回答|完成|满足|生成|执行|处理|参与|为您|为你|支持|访问|编写|创建'

const REFUSALS: readonly RegExp[] = [
  // English
  /^(?:i'm|i am) sorry,? (?:but )?i (?:can't|cannot|can not|won't|am unable|'m unable|am not able|must decline)/,
  /^(?:sorry|i apologi[sz]e),? (?:but )?i (?:can't|cannot|can not|won't|am unable|'m unable|must decline)/,
  new RegExp(
    `^i(?: cannot| can't| can not| won't| will not| am unable to|'m unable to| am not able to|'m not able to) (?:${EN_ACTS})\\b`,
  ),
  /^i must (?:respectfully )?decline\b/,
  /^as an ai(?: language model| model| assistant)?,? i (?:cannot|can't|can not|am unable|'m unable|am not able|won't|must decline)/,
  // French
  /^(?:(?:je suis )?désolée?|navrée?),? (?:mais )?je ne (?:peux pas|vais pas|suis pas en mesure)/,
  new RegExp(`^je ne (?:peux pas|vais pas|suis pas en mesure de?) (?:vous |t.)?(?:${FR_ACTS})`),
  // Spanish
  /^(?:lo siento|disculpa|perdón),? (?:pero )?no (?:puedo|estoy en condiciones|me es posible)/,
  new RegExp(`^no (?:puedo|me es posible|estoy en condiciones de) (?:${ES_ACTS})`),
  // German
  /^(?:es tut mir leid|entschuldigung|leider),? (?:aber )?(?:ich kann|kann ich) (?:\S+ ){0,3}(?:nicht|keine)\b/,
  new RegExp(
    `^ich kann (?:ihnen |dir |dabei |hier |damit |das |dies )*(?:nicht|keine \\S+) (?:\\S+ ){0,3}(?:${DE_ACTS})\\b`,
  ),
  // Chinese
  /^(?:抱歉|很抱歉|对不起|非常抱歉)[，,、。！!\s]*(?:但是?[，,]?\s*)?我(?:不能|无法|没法|不可以)/,
  new RegExp(`^我(?:无法|不能|没法)(?:${ZH_ACTS})`),
]

// What every pattern above requires an opening to start with (after the same normalization): an opening
// that neither starts with one of these nor could still grow into one cannot become a refusal, so a
// stream's hold-back can end sooner. Extend it with REFUSALS (the tests check every refusal they know).
const REFUSAL_OPENINGS: readonly string[] = [
  "i'm sorry",
  'i am sorry',
  'sorry',
  'i apologi',
  "i can't ",
  'i cannot ',
  'i can not ',
  "i won't ",
  'i will not ',
  'i am unable to ',
  "i'm unable to ",
  'i am not able to ',
  "i'm not able to ",
  'i must decline',
  'i must respectfully decline',
  'as an ai',
  'désolé',
  'je suis désolé',
  'navré',
  'je ne peux pas',
  'je ne vais pas',
  'je ne suis pas en mesure',
  'lo siento',
  'disculpa',
  'perdón',
  'no puedo',
  'no me es posible',
  'no estoy en condiciones de',
  'es tut mir leid',
  'entschuldigung',
  'leider',
  'ich kann ',
  '抱歉',
  '很抱歉',
  '对不起',
  '非常抱歉',
  '我无法',
  '我不能',
  '我没法',
]

const FENCE = /```|~~~/
// Lines that only code looks like: statements, blocks, declarations, calls, tags, shell prompts.
const CODE_LINE =
  /^\s*(?:(?:def|class|function|const|let|var|import|export|return|fn|func|package|public|private|static|async|struct|enum|interface|type|from \S+ import|#include|SELECT|INSERT|UPDATE|CREATE|\$ )\b|<\/?[a-z][\w-]*[\s>])|[;{}]\s*$|^\s*[\w.[\]]+\s*(?:=|\+=|:=)\s*\S.*[)\]"'\d;]\s*$|=>|^\s*\w+(?:\.\w+)*\(.*\)\s*;?\s*$/
const INLINE_CODE = /`[^`\n]*[(){}=[\].;][^`\n]*`/

/** Accepts an answer or names what is wrong with it. Tool calls are an answer on their own. */
export function checkAnswerQuality(input: AnswerToCheck): QualityVerdict {
  if (input.hasToolCalls) return { ok: true }
  const text = input.text.trim()
  if (input.finishReason === 'length' && text.length < TRUNCATED_MAX_CHARS)
    return { ok: false, reason: 'truncated' }
  if (text === '') return { ok: false, reason: 'empty' }
  if (isRefusal(text)) return { ok: false, reason: 'refusal' }
  if (input.expectsCode && !containsCode(text)) return { ok: false, reason: 'no_code' }
  return { ok: true }
}

/** The text as the refusal patterns read it: leading markup and quotes off, one kind of apostrophe and space, lower case. */
function openingOf(text: string): string {
  return text
    .replace(/^[\s*_>"'“«「]+/u, '')
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .toLowerCase()
}

function isRefusal(text: string): boolean {
  if (text.length > REFUSAL_MAX_CHARS || FENCE.test(text)) return false
  const opening = openingOf(text)
  return REFUSALS.some((pattern) => pattern.test(opening))
}

/**
 * Whether the opening of an answer, read so far, may still turn out to be a refusal once more text
 * arrives: true while it starts like one (or could still grow into such a start). False means no text
 * that follows can make `checkAnswerQuality` call it a refusal.
 */
export function couldBecomeRefusal(textSoFar: string): boolean {
  if (textSoFar.length > REFUSAL_MAX_CHARS || FENCE.test(textSoFar)) return false
  const opening = openingOf(textSoFar)
  return REFUSAL_OPENINGS.some((lead) => opening.startsWith(lead) || lead.startsWith(opening))
}

function containsCode(text: string): boolean {
  if (FENCE.test(text) || INLINE_CODE.test(text)) return true
  return text.split('\n').some((line) => CODE_LINE.test(line))
}
