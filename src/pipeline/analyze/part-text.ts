import { restoreMaterial } from './mask-material.js'

/** A stretch of the (masked) instruction: its words end at textEnd, its separator at end. */
export interface Span {
  start: number
  textEnd: number
  end: number
}

// Conjunctions that join a part to its neighbour; they belong to neither part's text.
const CONJUNCTIONS =
  'and then|and also|and|then|also|plus|after that|afterwards|next|finally|lastly|additionally|et ensuite|et puis|et|puis|ensuite|enfin|y luego|y después|y|luego|después|además|und dann|und danach|und|dann|danach|anschließend|außerdem|e poi|e|poi|depois|em seguida|и затем|и потом|а потом|потом|затем|и|sonra|ve|ardından|फिर|और|ثم|و'
const LEADING_CONJUNCTION = new RegExp(
  `^(?:(?:${CONJUNCTIONS})(?:[\\s,:]+|$)|(?:然后|并且|再|最后|それから|そして|그리고|그 다음에)[\\s,:，、]*)+`,
  'iu',
)
const LIST_MARKER = /^(?:\(?(?:\d{1,2}|[a-h])\)|\d{1,2}\.|[-*•])\s+/

// Single letters ("e", "y", "и") stay at the end: there they are more often a word ("vitamin E").
const TRAILING_JOINT =
  /(?:(?:^|[\s,;:、，])(?:and then|and also|and|then|plus|et|puis|und|dann|poi|depois|luego|и затем|а|ve|और))?[\s,;:、，]*$/iu

/**
 * The words of one part as the user wrote them: its stretches of the instruction in order, quoted
 * material put back, without the separators and conjunctions that joined it to the next part.
 */
export function partText(instruction: string, spans: readonly Span[], materials: readonly string[]): string {
  const pieces: string[] = []
  const ordered = [...spans].sort((a, b) => a.start - b.start)
  let run: { start: number; last: Span } | null = null
  for (const span of ordered) {
    if (run !== null && span.start === run.last.end) {
      run.last = span
      continue
    }
    if (run !== null) pieces.push(cleanEdges(instruction.slice(run.start, run.last.textEnd)))
    run = { start: span.start, last: span }
  }
  if (run !== null) pieces.push(cleanEdges(instruction.slice(run.start, run.last.textEnd)))
  const text = restoreMaterial(pieces.filter((piece) => piece.length > 0).join(' '), materials)
  return text.charAt(0).toLocaleUpperCase() + text.slice(1)
}

/** Without a leading "and then" or a trailing "and": the tail is read from its last 40 characters. */
function cleanEdges(text: string): string {
  const clean = text.trim().replace(LIST_MARKER, '').replace(LEADING_CONJUNCTION, '').trimStart()
  const tail = clean.slice(-40)
  const trailing = TRAILING_JOINT.exec(tail)
  return trailing === null ? clean : clean.slice(0, clean.length - tail.length + trailing.index)
}
