import { tokenize } from './extract-features.js'
import type { LanguageCode } from './types.js'

const SCRIPTS: Array<[LanguageCode, RegExp]> = [
  ['ja', /[\u3040-\u30ff]/],
  ['zh', /[\u4e00-\u9fff]/],
  ['ko', /[\uac00-\ud7af]/],
  ['ru', /[\u0400-\u04ff]/],
  ['ar', /[\u0600-\u06ff]/],
]

const STOPWORDS: Record<'en' | 'fr' | 'es' | 'de' | 'it' | 'pt' | 'nl', ReadonlySet<string>> = {
  en: new Set(
    'the and is are to of this that what how why with for you your my in it be can please'.split(' '),
  ),
  fr: new Set('le la les des est une et pour que dans ce cette je vous avec sur qui pas du au'.split(' ')),
  es: new Set('el los las es una y para que en por con este esta qué cómo por favor mi del al se'.split(' ')),
  de: new Set('der die das und ist nicht ein eine mit für ich wie was den dem zu auf bitte'.split(' ')),
  it: new Set('il che di è per una gli non della questo sono come del con'.split(' ')),
  pt: new Set('não uma para com os você é que do da em um está isso'.split(' ')),
  nl: new Set('het een en van niet ik wij zijn dat op voor met je'.split(' ')),
}

const STOPWORD_LISTS = Object.entries(STOPWORDS) as Array<[LanguageCode, ReadonlySet<string>]>

/** Natural languages of the text, dominant first: scripts for CJK/Cyrillic/Arabic, stopwords for Latin. */
export function detectLanguages(text: string): LanguageCode[] {
  const sample = text.length > 600 ? text.slice(0, 600) : text
  const found: Array<[LanguageCode, number]> = []
  // Kana marks Japanese even when Han characters dominate, so Chinese needs Han without kana.
  const hasKana = SCRIPTS[0]![1].test(sample)
  for (const [code, pattern] of SCRIPTS) {
    if (code === 'zh' && hasKana) continue
    if (pattern.test(sample)) found.push([code, 3])
  }
  const counts = new Map<LanguageCode, number>()
  for (const token of tokenize(sample, 120)) {
    for (const [code, words] of STOPWORD_LISTS) {
      if (words.has(token)) counts.set(code, (counts.get(code) ?? 0) + 1)
    }
  }
  const best = Math.max(0, ...counts.values())
  for (const [code, count] of counts) {
    if (count >= 2 && count >= best * 0.34) found.push([code, count])
  }
  return found.sort((a, b) => b[1] - a[1]).map(([code]) => code)
}
