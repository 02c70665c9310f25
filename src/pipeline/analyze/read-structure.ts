import type { TextView } from './view-text.js'

/** Surface facts about a prompt that a reader notices before reading the words. */
export interface Structure {
  hasFence: boolean
  /** Several lines that look like source code (keywords, braces, semicolons, assignments). */
  hasCodeLines: boolean
  hasStackTrace: boolean
  hasFilePath: boolean
  hasDiff: boolean
  /** Localization resources: JSON/YAML string tables, .po entries, subtitle timestamps. */
  hasI18nResource: boolean
  hasMathNotation: boolean
  /** Three or more numbers in the instruction (word problems, data). */
  hasManyNumbers: boolean
  hasCjk: boolean
  hasLatin: boolean
  /** Numbered or bulleted list items in the instruction. */
  hasListItems: boolean
  lengthBucket: number
}

// Every pattern here runs on user text: each is linear. Line starts take horizontal space only
// (`^[ \t]*`, never `^\s*`, which rescans a run of line breaks from every line start), and a word
// run before a suffix is one character (`\w(?:Error)`, never `\w+(?:Error)`, which rescans it).
const CODE_LINE =
  /^[ \t]*(?:def |class |import |from \S+ import|function |const |let |var |public |private |fn |func |#include|package |return |if \(|for \(|while \(|SELECT |INSERT |UPDATE |CREATE |@app\.|<\?php|<div|<\/|\}|\{$)|[;{][ \t]*$|=>|\)[ \t]*\{|:=/gm
const STACK_TRACE =
  /Traceback \(most recent call last\)|^[ \t]+at [\w.$<>]+[ \t]*\(|Exception in thread|^panic: |goroutine \d+ \[|npm ERR!|error\[E\d{3,4}\]|^[ \t]*File "[^"\n]+", line \d+|Uncaught \w*Error|\w(?:Error|Exception): /m
const FILE_PATH =
  /(?:^|[\s(`'"])(?:[\w.-]+\/)+[\w.-]+\.(?:ts|tsx|js|jsx|mjs|py|go|rs|java|kt|rb|php|cs|cpp|c|h|swift|scala|sql|sh|ya?ml|json|toml|vue|svelte)\b|\b[\w-]+\.(?:tsx?|jsx?|py|go|rs|java|kt|rb|php|cpp|swift|vue)\b/
const DIFF = /^(?:@@ -\d+(?:,\d+)? \+\d|diff --git |--- a\/|\+\+\+ b\/)/m
const I18N =
  /^[ \t]*msgid[ \t]+"|\d\d:\d\d:\d\d,\d{3}[ \t]*-->|^[ \t]*"[\w.-]+"[ \t]*:[ \t]*"[^"\n]*[ \p{L}]|<string name="|%\{\w+\}|^[ \t]*[\w.]+[ \t]*:[ \t]*"[^"\n]+"[ \t]*$/mu
const MATH =
  /[∫∑√π≤≥≠∞^]|\b\d+\s*[x×*/+\-=]\s*\d|\b[a-z]\s*[=+\-*/^]\s*\d|\d\s*[a-z]\b\s*[+\-=]|\b(?:sqrt|log|sin|cos|tan|lim)\s*\(/i
const NUMBER = /\d+(?:[.,]\d+)?/g
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/
const LATIN = /[a-z]{3}/i
const LIST_ITEM = /(?:^|\n)[ \t]*(?:\d+[.)]|[-*•]|\(\w\))\s+\S/g

export function readStructure(view: TextView): Structure {
  const { instruction, context } = view
  const all = context.length > 0 ? `${instruction}\n${context}` : instruction
  return {
    hasFence: view.hasFence,
    hasCodeLines: countMatches(all, CODE_LINE, 3) >= 3,
    hasStackTrace: STACK_TRACE.test(all),
    hasFilePath: FILE_PATH.test(all),
    hasDiff: /\bdiff\b|\bpatch\b/.test(view.fenceTags) || DIFF.test(all),
    hasI18nResource: I18N.test(all),
    hasMathNotation: MATH.test(instruction),
    hasManyNumbers: countMatches(instruction, NUMBER, 3) >= 3,
    hasCjk: CJK.test(instruction),
    hasLatin: LATIN.test(instruction),
    hasListItems: countMatches(instruction, LIST_ITEM, 2) >= 2,
    lengthBucket: bucketLength(view.length),
  }
}

function bucketLength(length: number): number {
  if (length < 60) return 0
  if (length < 200) return 1
  if (length < 600) return 2
  if (length < 2_000) return 3
  if (length < 8_000) return 4
  return 5
}

function countMatches(text: string, pattern: RegExp, stopAt: number): number {
  pattern.lastIndex = 0
  let count = 0
  while (pattern.exec(text) !== null) {
    count++
    if (count >= stopAt) break
  }
  pattern.lastIndex = 0
  return count
}
