/** One clause of an instruction, and whether it opens with its own request (a verb or a question). */
export interface Clause {
  text: string
  /** Starts with an imperative deliverable verb or is a question: it can carry a separate task. */
  isRequest: boolean
  /** Where the clause starts and ends in the instruction, its separator included: clauses tile it. */
  start: number
  end: number
  /** End of its words, before the separator. */
  textEnd: number
}

// Connectors that may open a clause and carry no meaning of their own.
const LEADING_CONNECTOR =
  /^(?:(?:and|then|also|plus|finally|afterwards|after that|next|lastly|first(?:ly)?|second(?:ly)?|third(?:ly)?|please|pls|now|so|but|additionally|separately|et|puis|ensuite|enfin|aussi|y|luego|después|además|también|und|dann|danach|anschließend|außerdem|auch|e|poi|depois|em seguida|en|daarna|а потом|и потом|и затем|а затем|затем|потом|и|а|ve sonra|sonra|ardından|ve|और फिर|फिर|और|ثم|وبعد ذلك|그리고 나서|그 다음에|그다음에|그리고|(?:can|could|would|will) you(?: please)?|use (?:it|that|this|them|those|these|the (?:results?|answers?|figures?|numbers?|rates?|values?|info(?:rmation)?|data|findings?))(?: to)?|with (?:that|this|it|the results?),?)(?:[\s,:]+|$)|(?:然后|并且|并|再|最后|还有|另外|其次|首先|それから|その後|そして|また)[\s,:，、]*)+/iu

const REQUEST_VERB =
  /^(?:scaffold|set up|setup|configure|deploy|install|update|refactor|migrate|port|optimi[sz]e|test|document|derive|prove|simulate|verify|double-check|confirm|draw|design|map|count|group|categori[sz]e|outline|translate|summari[sz]e|write|draft|compose|fix|debug|explain|give|tell|find|look(?: it)? up|check|search|compute|calculate|solve|estimate|decide|help|suggest|brainstorm|list|create|generate|make|add|convert|rewrite|show|provide|pull out|extract|turn|recommend|implement|build|plan|review|describe|answer|classify|rate|sort|format|correct|proofread|send|prepare|outline|propose|come up|work out|figure out|determine|rank|compare|name|convert|put|add|include|let me know|and (?:a|an)\b|traduis|traduire|résume|résumer|écris|rédige|corrige|explique|calcule|trouve|vérifie|donne|propose|cherche|dis-moi|fais|traduce|tradúce\w*|resume|resumir|escribe|redacta|corrige|explica|calcula|busca|averigua|dame|dime|haz|crea|genera|übersetze|übersetz\w*|fasse|schreib\w*|erkläre|berechne|finde|prüfe|gib|korrigiere|erstelle|such\w*|nenne|traduci|riassumi|scrivi|calcola|traduza|resuma|escreva|calcule|vertaal|schrijf|请|把|给我|帮我|写|翻译|总结|计算|解|查|找|列出|生成|解释|переведи|напиши|объясни|посчитай|вычисли|реши|найди|сделай|составь|перескажи|расскажи|дай|скажи|проверь|исправь|اكتب|ترجم|لخص|احسب|اشرح|أعطني|اعطني|ابحث|أخبرني|صحح)/iu

const QUESTION_START =
  /^(?:what|when|where|who|whom|which|why|how|is|are|was|were|does|do|did|can|could|will|would|should|has|have|quel(?:le)?s?|qui|où|quand|comment|est-ce|qué|cuál|cuándo|dónde|quién|cómo|wie|was|wann|wo|wer|welche[rsmn]?|ist|gibt|什么|哪|谁|何|どこ|いつ)\b/i

// Boundaries between requests: sentence ends, list items, semicolons, and ", and then / and / then"
// style joints. A comma or "and" only separates when a request verb follows (checked afterwards).
// Words that join two asks in the supported languages ("and then", "puis", "y luego", "und dann",
// "e poi", "e depois", "а потом", "ve sonra", "और फिर", "ثم", "그 다음에", "それから"). A cut is cheap:
// the splitter only keeps it when a request of another type follows.
const CONNECTIVES = [
  'and then|and also|and|then|also|plus',
  'et ensuite|et puis|ensuite|puis|et',
  'y luego|y después|luego|después|y',
  'und dann|und danach|danach|dann|und',
  'e poi|e depois|depois|poi|e',
  'а потом|и потом|и затем|а затем|затем|потом|и',
  've sonra|ve ardından|sonra|ardından|ve',
  'और फिर|फिर|और',
  'ثم|وبعد ذلك|وبعدها',
  '그리고 나서|그 다음에|그다음에|그리고',
].join('|')

const BOUNDARY = new RegExp(
  String.raw`(?<=[.!?。！？।؟])\s+|\n+|;\s*|(?<=:)\s+(?=\p{L})|(?:^|\s)\((?:\d|[a-h]|i{1,3}|iv)\)\s+|(?:^|\s)\d[.)]\s+(?=\p{L})|[,،]\s+(?=(?:and\s+|then\s+|also\s+|plus\s+|et\s+|puis\s+|y\s+|luego\s+|und\s+|dann\s+|e\s+)?\p{L})|(?<!\b(?:you|please))(?<!\s)\s+(?=(?:${CONNECTIVES})\s+\p{L})|(?<=[，、])|(?=然后|并且|，并|，再|その後|それから)|(?<=てから)`,
  'giu',
)

const MAX_CLAUSES = 24

/**
 * Cuts an instruction into clauses a reader would see as separate asks. Over-cutting is cheap: the
 * splitter merges clauses back unless one opens with its own request of a different type. A piece
 * that is only a connector ("and", "then", "puis") opens the next clause, never closes the last.
 */
export function segmentClauses(instruction: string): Clause[] {
  const clauses: Clause[] = []
  let carriedStart = -1
  for (const piece of cutPieces(instruction)) {
    const text = instruction.slice(piece.start, piece.textEnd).trim()
    if (text.length === 0) continue
    const start = carriedStart >= 0 ? carriedStart : piece.start
    const core = stripConnectors(text)
    const last = clauses.at(-1)
    // A prompt with dozens of asks is a list of items, not dozens of parts; each clause costs a model
    // reading, so past the cap the rest rides on the last clause.
    if (last !== undefined && clauses.length >= MAX_CLAUSES) {
      extend(last, instruction, piece)
      continue
    }
    if (core.length === 0) {
      carriedStart = start
      continue
    }
    carriedStart = -1
    const isRequest =
      REQUEST_VERB.test(core) ||
      /[?？؟]\s*$/.test(core) ||
      (QUESTION_START.test(core) && /[?？]/.test(core)) ||
      isCjkAsk(core) ||
      isVerbFinalAsk(core)
    if (last !== undefined && !isRequest) {
      extend(last, instruction, piece)
      continue
    }
    clauses.push({
      text: instruction.slice(start, piece.textEnd).trim(),
      isRequest,
      start,
      end: piece.end,
      textEnd: piece.textEnd,
    })
  }
  const last = clauses.at(-1)
  if (last !== undefined && carriedStart >= 0)
    extend(last, instruction, { start: carriedStart, textEnd: instruction.length, end: instruction.length })
  return clauses
}

function extend(clause: Clause, instruction: string, piece: Piece): void {
  clause.end = piece.end
  clause.textEnd = piece.textEnd
  clause.text = instruction.slice(clause.start, piece.textEnd).trim()
}

interface Piece {
  start: number
  /** End of the words, before the separator. */
  textEnd: number
  /** End of the separator: the next piece starts here. */
  end: number
}

/** Pieces between boundaries, each with its separator, so no character of the instruction is lost. */
function cutPieces(instruction: string): Piece[] {
  const pieces: Piece[] = []
  let start = 0
  BOUNDARY.lastIndex = 0
  for (let match = BOUNDARY.exec(instruction); match !== null; match = BOUNDARY.exec(instruction)) {
    const end = match.index + match[0].length
    if (match[0].length === 0) BOUNDARY.lastIndex++
    if (end === start) continue
    pieces.push({ start, textEnd: match.index, end })
    start = end
  }
  BOUNDARY.lastIndex = 0
  if (start < instruction.length) pieces.push({ start, textEnd: instruction.length, end: instruction.length })
  return pieces
}

// Chinese, Japanese and Korean put the verb last, so any clause long enough to hold one may be an ask.
function isCjkAsk(text: string): boolean {
  return text.length >= 4 && /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(text.slice(0, 4))
}

// Hindi and Turkish put the verb last too; an imperative or polite request form closes the ask
// ("… अनुवाद करो", "… लिखिए", "… çevir", "… yazar mısın").
const VERB_FINAL_ASK =
  /(?:करो|करें|कीजिए|कीजिये|लिखो|लिखें|लिखिए|बताओ|बताइए|बताएं|बताएँ|दो|दीजिए|समझाओ|समझाइए|निकालो|ढूंढो|ढूँढो)[\s।!?.]*$|(?<![\p{L}])(?:yaz|yazın|çevir|çevirin|özetle|özetleyin|hesapla|hesaplayın|açıkla|açıklayın|bul|bulun|söyle|ver|anlat|düzelt|öner)(?:\s+(?:misin|mısın|musun|müsün|misiniz|mısınız))?[\s.!?]*$/iu

function isVerbFinalAsk(text: string): boolean {
  return VERB_FINAL_ASK.test(text.length > 200 ? text.slice(-200) : text)
}

const LIST_MARKER = /^\s*(?:\(?(?:\d{1,2}|[a-h])\)|\d{1,2}\.|[-*•])\s+/

/** The clause without list markers ("2)", "-") and connectors ("and then", "puis"). */
export function stripConnectors(text: string): string {
  // "and (2) draft…": a connector may come before the marker as well as after it.
  const once = text.replace(LIST_MARKER, '').replace(LEADING_CONNECTOR, '')
  return once.replace(LIST_MARKER, '').trim()
}

/** Does the text open with a request verb, after connectors and list markers ("2) Summarize…")? */
export function startsWithRequest(text: string): boolean {
  return REQUEST_VERB.test(stripConnectors(text))
}
