import type { Complexity, TaskType } from './types.js'

// Hard algorithms show in their bounds: O(…) needs no word boundary after its closing parenthesis.
const HIGH_CODE =
  /\b(?:race condition|deadlock|concurren\w*|lock-?free|security|vulnerab\w*|exploit|injection|memory leak|distributed|consensus|scalab\w*|(?:10|100)k (?:writes|requests)|optimi[sz]e|subtle|dynamic programming|np-hard|compiler|parser|interpreter|kernel|garbage collect\w*|lock|thread-safe|cryptograph\w*|sharding|zero-downtime|without downtime|(?:linear|logarithmic|constant|sublinear|amortized) (?:time|space|complexity))\b|\bO\([^)\n]{1,20}\)/i
const LOW_CODE =
  /\b(?:one-?liner|hello world|regex (?:for|to|that)|how do i (?:undo|rename|delete|install|center|revert)|what does `[^`]+` do|difference between `?\w+`?,? (?:and|vs\.?) `?\w+`?)\b/i
const HIGH_MATH =
  /\b(?:olympiad|competition|putnam|imo|for (?:all|every) (?:positive )?integers?|find all (?:integer|real|positive)|uniformly continuous|group of (?:prime )?order|converge\w*|rational approximation|measure theory|topolog\w*|eigen\w*|diophantine|lemma|rigorous)\b/i
// Rubric: multi-step word problems need a competent model; probability and statistics rarely take one step.
const MULTI_STEP_MATH =
  /\b(?:probability|odds|expected (?:value|number)|confidence interval|statistically|significan\w*|regression|standard deviation|variance|compound(?:ed)? (?:interest|monthly|annually)|how many ways|arrange\w*|combinations?|permutations?)\b/i
// Rubric: a search whose findings must then be combined, compared or worked with needs a competent model.
const COMBINED_SEARCH =
  /\b(?:and|then|compared?)\b[^.?!\n]{0,80}\b(?:summari[sz]e|rundown|write|compare|explain|show me|give me|tell me|which|how many|what changed|separate|headline)\b/i
const PROOF = /\b(?:prove|proof|show that|démontre|demuestra|beweise|证明|証明)\b/i
const LITERARY =
  /\b(?:literary|poetic|poem|verse|rhythm|rhyme|tone|melanchol\w*|idiomatic|nuance|style|register)\b|littéraire|literari[oa]|literarisch|文学/i
const MANY_CONSTRAINTS =
  /\b(?:must|can't|cannot|only|never|at most|at least|no more than|before|after|budget|deadline|requires?|depends on|needs?)\b/gi
// Rubric: most creative writing needs a competent model, short forms and role-play included.
const CREATIVE_LONG =
  /\b(?:story|essay|blog post|article|speech|chapter|screenplay|script for|cover letter|business plan|itinerary|curriculum|lesson plan|poem|sonnet|song|lyrics|ballad|limerick|toast|eulogy|persuasive|dialogue|monologue|melody|fiction|fictional|role-?play|stay in character|narrator|text adventure)\b|\b(?:poema|poème|gedicht|canción|chanson|cuento)\b/i

/**
 * How strong a model the prompt needs, from length, task and a few telling words (README rubric):
 * low = a small fast model succeeds, high = top tier only. A soft label; the router treats it as a hint.
 */
export function estimateComplexity(task: TaskType, text: string, length = text.length): Complexity {
  const head = text.length > 2_000 ? text.slice(0, 2_000) : text
  switch (task) {
    case 'boilerplate':
      return 'low'
    case 'translation':
      if (length > 8_000 || (LITERARY.test(head) && length > 150)) return 'high'
      return length > 600 ? 'medium' : 'low'
    case 'summarize':
      if (length > 20_000) return 'high'
      return length > 900 ? 'medium' : 'low'
    case 'web_search':
      return length > 200 || countQuestions(head) >= 2 || COMBINED_SEARCH.test(head) ? 'medium' : 'low'
    case 'general':
      if (length > 1_500 || CREATIVE_LONG.test(head)) return 'medium'
      return length > 400 ? 'medium' : 'low'
    case 'code':
      if (length > 6_000 || HIGH_CODE.test(head)) return 'high'
      return length < 140 && LOW_CODE.test(head) ? 'low' : length < 90 ? 'low' : 'medium'
    case 'math':
      if (HIGH_MATH.test(head)) return 'high'
      if (PROOF.test(head) || length > 450) return 'medium'
      if (countNumbers(head, 3) >= 3 || MULTI_STEP_MATH.test(head)) return 'medium'
      return length > 260 ? 'medium' : 'low'
    case 'reasoning': {
      const constraints = countMatches(head, MANY_CONSTRAINTS, 6)
      if (constraints >= 5 || length > 1_200) return 'high'
      return length < 130 && constraints === 0 ? 'low' : 'medium'
    }
  }
}

function countQuestions(text: string): number {
  let count = 0
  for (const char of text) if (char === '?' || char === '？') count++
  return count
}

/** Quantities in the text (a problem that gives three or more takes more than one step), up to `stopAt`. */
function countNumbers(text: string, stopAt: number): number {
  let count = 0
  let inNumber = false
  for (let i = 0; i < text.length && count < stopAt; i++) {
    const code = text.charCodeAt(i)
    const isDigit = code >= 48 && code <= 57
    if (isDigit && !inNumber) count++
    // 1,250 and 4.5 are one quantity each
    inNumber =
      isDigit || (inNumber && (code === 44 || code === 46) && i + 1 < text.length && isDigitAt(text, i + 1))
  }
  return count
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index)
  return code >= 48 && code <= 57
}

function countMatches(text: string, pattern: RegExp, stopAt: number): number {
  pattern.lastIndex = 0
  let count = 0
  while (pattern.exec(text) !== null && count < stopAt) count++
  pattern.lastIndex = 0
  return count
}
