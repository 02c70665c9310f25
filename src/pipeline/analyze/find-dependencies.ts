import type { TaskType } from './types.js'

/** A part as the dependency rule reads it: its type, and its words with quoted material masked. */
export interface PartWords {
  task: TaskType
  text: string
}

// What each type of part hands on: "the poem", "your code", "the summary", "the rate"…
const OUTPUT_NOUNS: Record<TaskType, string> = {
  code: 'code|function|script|program|snippet|class|query|implementation|solution|regex|component|tests?|example|código|codice|fonction|función|funktion',
  reasoning: 'plan|answer|conclusion|decision|recommendation|schedule|analysis|reasoning|solution|choice',
  math: 'results?|answer|numbers?|figures?|totals?|solution|values?|amounts?|calculation|sum|résultats?|resultados?|ergebnis(?:se)?|risultati?',
  summarize:
    'summary|summaries|key points|takeaways|bullets|notes|tl;?dr|recap|list|résumé|resumen|zusammenfassung|riassunto|resumo',
  translation: 'translations?|versions?|translated (?:text|version)',
  web_search:
    'results?|findings|figures?|numbers?|rates?|prices?|data|information|info|facts|scores?|forecast|news|version|résultats?|resultados?|ergebnis(?:se)?|risultati?|chiffres|cifras|zahlen',
  boilerplate: 'message|template|title|description|file|config(?:uration)?|list|table',
  general:
    'poem|haiku|limerick|story|email|e-mail|letter|essay|article|post|tweet|speech|toast|song|lyrics|joke|bio|pitch|slogan|names?|ideas?|explanation|description|reply|response|message|paragraph|draft|outline|recipe|list|answer|overview|poème|poema|gedicht|poesia|histoire|historia|geschichte|storia|correo|lettre|carta|brief|explication|explicación|erklärung|spiegazione|explicação',
}
// Not "the result" or "the text": a spec says "returns the result", an ask "translate the text below".
const GENERIC_OUTPUT = 'output|response|explanation|draft'
const OUTPUT_ADJECTIVE = '(?:\\w+(?:-\\w+)?\\s+){0,2}'

// "your explanation", "the above", "the previous answer", "the resulting list": always the output.
const OWN_OUTPUT =
  /\b(?:your|the above|the previous|the resulting|the generated|the same)\b|\babove\b|\bprevious (?:answer|part|step|result)\b|\bfrom (?:step|part) \d\b|\b(?:ta|ton|tes|votre|vos|tu|tus|su|sus|dein(?:e[nmrs]?)?|ihre?[nmrs]?|tua|tuo|tuoi|sua|seu|tva|ваш\w*|тво\w*)\s+\p{L}+|ci-dessus|précédent|anterior|oben|vorherige|precedente|上面|以上|上述|前面|上記|その結果|위의|앞의/iu
// A deliverable verb working on "it", "them", "this" or "that" alone: "translate it", "turn that into".
const VERB_ON_PRONOUN =
  /\b(?:translate|summari[sz]e|rewrite|rephrase|shorten|condense|simplify|format|turn|convert|check|verify|review|proofread|critique|improve|edit|explain|test|run|post|send|adapt|put|make|use|apply|compare|illustrate|plot|graph|chart|tabulate|grade|score|rate|evaluate|answer|solve|read|give me|version of|based on|from|of|into|with|on)\s+(?:it|them|this|that|these|those)\b(?!\s+(?:\p{L}+\s+)?(?:text|sentence|paragraph|passage|article|document|file|email|message|code|snippet|below|following|phrase|word|line|list|data|table)\b)/iu
// The same in the languages the splitter reads: object pronouns after the verb or fused with it.
const FOREIGN_PRONOUN = new RegExp(
  [
    '(?:traduis|résume|réécris|corrige|vérifie|explique|traduisez|résumez)-(?:le|la|les)',
    '(?:le|la|les)\\s+(?:traduire|résumer|réécrire)',
    '(?:tradúce|resúme|reescríbe|corríge|explíca|revísa|tradúzca|traduce)(?:lo|la|los|las)',
    '(?:übersetze|übersetz|fasse|prüfe|überarbeite|erkläre)\\s+(?:es|sie|ihn|das|dies)',
    '(?:tradu(?:ci|rre)|riassumi|riscrivi|correggi|spiega)(?:lo|la|li|le)',
    'traduz(?:a|ir)-(?:o|a|os|as)',
    '(?:переведи|перескажи|сократи|проверь)\\s+(?:его|её|ее|их|это)',
    '(?:onu|bunu|bunları|onları)\\s+(?:\\p{L}+\\s+)?(?:çevir|özetle)',
  ]
    .map((alternative) => `(?<![\\p{L}\\p{N}])${alternative}(?![\\p{L}\\p{N}])`)
    .join('|') +
    '|它|把它|将其|这(?:个|首|篇|段)?(?:诗|故事|文章|回答|答案|结果|代码|函数|邮件|摘要)|それを|これを|그것을|그걸|이것을|(?:ترجم|لخص|صحح)(?:ها|ه|هم)(?![\\p{L}])|(?:उसका|इसका|उसे|इसे|उसको)',
  'iu',
)

// "Translate into German", "英語に翻訳して", "翻译成英文" after another part: nothing else to translate.
const BARE_TRANSLATE =
  /^(?:please\s+)?translate\s+(?:(?:in)?to|in)\s+\p{L}+[\s.!]*$|^(?:请|再)?(?:翻译|翻譯)(?:成|为)|^\p{Script=Han}{1,4}(?:に|へ)翻訳|^\p{Script=Hangul}{1,6}로\s*번역|^(?:traduis|traduce|übersetze|traduci|traduza)\s+(?:en|al|ins|in|para)\s+\p{L}+[\s.!]*$/iu

/**
 * A part depends on an earlier one only when it refers to that part's output: "then translate your
 * explanation into German" waits for the explanation, "then write a Python function that…" does not.
 * Returns, per part, the indexes of the earlier parts it needs (the nearest one that fits).
 */
export function findDependencies(parts: readonly PartWords[]): number[][] {
  return parts.map((part, index) => {
    if (index === 0) return []
    const target = referredPart(part.text, parts.slice(0, index))
    return target === null ? [] : [target]
  })
}

function referredPart(text: string, earlier: readonly PartWords[]): number | null {
  for (let i = earlier.length - 1; i >= 0; i--) {
    const nouns = `${OUTPUT_NOUNS[earlier[i]!.task]}|${GENERIC_OUTPUT}`
    if (namesOutput(text, nouns)) return i
  }
  if (
    OWN_OUTPUT.test(text) ||
    VERB_ON_PRONOUN.test(text) ||
    FOREIGN_PRONOUN.test(text) ||
    BARE_TRANSLATE.test(text)
  ) {
    return earlier.length - 1
  }
  return null
}

/** "the poem", "this short summary", "those figures": a definite article or demonstrative before it. */
function namesOutput(text: string, nouns: string): boolean {
  const pattern = new RegExp(
    `\\b(?:the|this|that|these|those|le|la|les|ce|cette|ces|el|los|las|este|esta|ese|esa|das|die|den|dem|dieses?|diesen|il|lo|gli|questo|questa|o|os|as|esse|essa)\\s+${OUTPUT_ADJECTIVE}(?:${nouns})\\b(?!\\s+(?:below|following|attached|here))`,
    'iu',
  )
  return pattern.test(text)
}
