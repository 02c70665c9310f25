const MAX_QUERY_CHARS = 200
const MAX_FRAMING_PASSES = 6
/**
 * How much of the message is read: its opening and its end, where people put what they ask. Pasted
 * material in between says little about what to search for, and a bounded slice keeps every pattern
 * below cheap whatever the user sends (up to the 10 MB body limit).
 */
const HEAD_CHARS = 2_000
const TAIL_CHARS = 2_000

// Politeness and "please search" framing at the start of a sentence, in en/fr/es/de. Each phrase must
// end at a separator, so an entity that starts the same way ("Google stock", "Recherche opérationnelle")
// is kept; search verbs are only stripped with their web object ("search the web for", "busca en internet").
const LATIN_FRAMING = [
  'hi',
  'hello',
  'hey',
  'good (?:morning|afternoon|evening)',
  'please',
  'pls',
  'quick question',
  'thanks',
  'thank you',
  'ok(?:ay)?',
  '(?:can|could|would|will) you(?: please)?(?: kindly)?',
  '(?:tell|show|give) me(?: about)?',
  'help me (?:find|understand|figure out)',
  'i (?:want|wanted|would like|need) to know(?: about)?',
  "i'd like to know(?: about)?",
  "i(?:'m| am) (?:wondering|curious)(?: about)?",
  'do you know',
  'let me know',
  'search (?:(?:on )?(?:the web|the internet|online|google) )?for',
  'search (?:on )?(?:the web|the internet|online|google)',
  'look up',
  'find out',
  'bonjour',
  'salut',
  'coucou',
  "s'il (?:te|vous) pla[iî]t",
  'svp',
  'stp',
  'merci',
  "(?:est-ce que )?(?:tu peux|vous pouvez|peux-tu|pouvez-vous|pourrais-tu|pourriez-vous)(?: me| m')?(?: (?:dire|donner|trouver|chercher|rechercher|expliquer))?",
  '(?:dis|dites)-moi',
  "j'aimerais savoir",
  'je (?:voudrais|veux|souhaite|souhaiterais) savoir',
  '(?:re)?cherche(?:r)? sur (?:internet|le web|google)',
  'hola',
  'buen(?:os|as) (?:d[ií]as|tardes|noches)',
  'por favor',
  'gracias',
  '(?:me )?(?:puedes|podr[ií]as|puede|podr[ií]a)(?: (?:decirme|decir|buscar|contarme|explicarme))?',
  'dime',
  'quiero saber',
  'me gustar[ií]a saber',
  'busca(?:r)? en (?:internet|la web|google)',
  'averigua',
  'hallo',
  'guten (?:morgen|tag|abend)',
  'bitte',
  'danke',
  '(?:kannst|könntest) du(?: mir)?(?: bitte)?(?: sagen)?',
  '(?:können|könnten) sie(?: mir)?(?: bitte)?(?: sagen)?',
  'sag(?:e)? mir',
  'ich (?:möchte|will|würde gerne) wissen',
  'such(?:e)? (?:im internet|online)(?: nach)?',
  'finde heraus',
  'schau nach',
]
const SEPARATORS = '\\s,，、:：;；!！?？.。…-'
const LATIN_FRAMING_PATTERN = new RegExp(
  `^(?:${LATIN_FRAMING.join('|')})(?=[${SEPARATORS}]|$)[${SEPARATORS}]*`,
  'iu',
)
// Chinese writes no spaces, so framing is matched as a prefix.
const CJK_FRAMING_PATTERN =
  /^(?:你好|您好|请问|麻烦(?:你)?|帮我(?:查一下|查查|搜一下|搜索一下|搜索|查)?|(?:你)?(?:能|可以)(?:帮我)?(?:告诉我|查一下|搜一下)?|告诉我|查一下|搜一下|搜索一下|我想知道|谢谢|请)[\s,，、:：;；!！?？.。]*/u
// Politeness after the question ("…, please", "…, merci"): stripped word by word from the end.
const TRAILING_WORDS = [
  'please',
  'thanks',
  'thank you',
  'for me',
  "s'il te plait",
  "s'il te plaît",
  "s'il vous plait",
  "s'il vous plaît",
  'svp',
  'stp',
  'merci',
  'por favor',
  'gracias',
  'bitte',
  'danke',
]
const TRAILING_CJK = ['谢谢', '谢啦']
const TRAILING_PUNCTUATION = new Set([...',，;；:：.。!！?？…'])
const WORD_SEPARATORS = new Set([...' \t\n\r\f\v\u00a0,，'])
// What makes a sentence the one to search for when the message is long.
const RECENCY_CUE =
  /\b(?:today|now|current(?:ly)?|latest|newest|recent(?:ly)?|this (?:week|month|year)|news|price|score|weather|20[2-3]\d)\b|aujourd'hui|actuel|dernière?|hoy|actual|última?|heute|aktuell|neueste|今天|现在|目前|最新/iu

function stripFraming(sentence: string): string {
  let text = sentence.trim().replace(/[¿¡]/g, '')
  for (let pass = 0; pass < MAX_FRAMING_PASSES; pass++) {
    const next = text.replace(LATIN_FRAMING_PATTERN, '').replace(CJK_FRAMING_PATTERN, '').trim()
    if (next === text) break
    text = next
  }
  return stripTrailingFraming(text)
}

/**
 * Drops trailing punctuation and politeness ("…today? thanks!"). A scan from the end instead of an
 * anchored pattern: `(…|[\s,]+please|…)+$` backtracks cubically over runs of spaces or commas.
 */
function stripTrailingFraming(sentence: string): string {
  let end = sentence.length
  for (let pass = 0; pass < MAX_FRAMING_PASSES * 4; pass++) {
    while (end > 0 && (TRAILING_PUNCTUATION.has(sentence[end - 1]!) || isSpace(sentence[end - 1]!))) end--
    const before = end
    const tail = sentence.slice(Math.max(0, end - 20), end).toLowerCase()
    const cjk = TRAILING_CJK.find((word) => tail.endsWith(word))
    if (cjk !== undefined) end -= cjk.length
    else {
      const word = TRAILING_WORDS.find((candidate) => tail.endsWith(candidate))
      const start = word === undefined ? -1 : end - word.length
      if (word !== undefined && start > 0 && WORD_SEPARATORS.has(sentence[start - 1]!)) end = start
    }
    if (end === before) break
  }
  return sentence.slice(0, end).trim()
}

const isSpace = (character: string): boolean => character.trim() === ''

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|(?<=[。！？])|\n+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0)
}

/** The opening and the end of a long message, never cutting a character in two. */
function boundedSlice(text: string): string {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return text
  let headEnd = HEAD_CHARS
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--
  let tailStart = text.length - TAIL_CHARS
  if (isHighSurrogate(text.charCodeAt(tailStart - 1))) tailStart++
  return `${text.slice(0, headEnd)}\n${text.slice(tailStart)}`
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff

/** Cuts at a word boundary where there are spaces, by characters (not UTF-16 units) otherwise. */
function clip(text: string): string {
  const characters = Array.from(text)
  if (characters.length <= MAX_QUERY_CHARS) return text
  const cut = characters.slice(0, MAX_QUERY_CHARS).join('')
  const lastSpace = cut.lastIndexOf(' ')
  return (lastSpace > MAX_QUERY_CHARS * 0.6 ? cut.slice(0, lastSpace) : cut).trim()
}

function sentenceScore(sentence: string): number {
  let score = 0
  const last = sentence.trimEnd().at(-1)
  if (last === '?' || last === '？') score += 3
  if (RECENCY_CUE.test(sentence)) score += 2
  // Digits, or a capitalized word past the first (a name, a place): "Tokyo", "Go 1.23".
  if (/\d|\s\p{Lu}\p{L}/u.test(sentence)) score += 1
  return score
}

/** Long messages: the questions and time-sensitive sentences first, kept in their original order. */
function pickSentences(sentences: readonly string[]): string[] {
  const ranked = sentences
    .map((sentence, index) => ({ index, score: sentenceScore(sentence) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
  const chosen: number[] = []
  let length = 0
  for (const { index, score } of ranked) {
    if (chosen.length > 0 && score === 0) break
    const size = (sentences[index] ?? '').length + 1
    if (chosen.length > 0 && length + size > MAX_QUERY_CHARS) continue
    chosen.push(index)
    length += size
  }
  return chosen.sort((a, b) => a - b).map((index) => sentences[index] ?? '')
}

/**
 * A web-search query from what the user asked (their last message's text): code blocks and polite or
 * "please search" framing removed, entities, dates and "latest"/"today" cues kept, at most 200
 * characters. Falls back to the cleaned text when nothing else remains ("hello?").
 */
export function buildSearchQuery(text: string): string {
  const prose = boundedSlice(text)
    .replace(/```[\s\S]*?(?:```|$)/g, '\n')
    .replace(/[’‘]/g, "'")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, (character) => (character === '\n' ? '\n' : ' '))
  const sentences = splitSentences(prose)
  const meaningful = sentences.filter((sentence) => stripFraming(sentence).length > 0)
  // "Here is my code:" introduces pasted material; it is not what to search for.
  const asks = meaningful.filter((sentence) => !/[:：]$/u.test(sentence))
  const kept = asks.length > 0 ? asks : meaningful
  if (kept.length === 0) return clip(prose.replace(/\s+/g, ' ').trim())
  const chosen = kept.join(' ').length > MAX_QUERY_CHARS ? pickSentences(kept) : kept
  return clip(chosen.map(stripFraming).join(' ').replace(/\s+/g, ' ').trim())
}
