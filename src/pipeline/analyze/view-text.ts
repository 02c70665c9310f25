/** Longest stretch read as "the instruction"; the rest of a long turn is pasted context. */
const INSTRUCTION_CHARS = 900
const CONTEXT_CHARS = 2_500
const SHORT_TEXT_CHARS = 700

/** A prompt seen as a person reads it: the instruction, and the material pasted around it. */
export interface TextView {
  instruction: string
  context: string
  hasFence: boolean
  /** Info strings of the fenced blocks ("python diff"). */
  fenceTags: string
  /** Length of the whole text the view was taken from. */
  length: number
}

const FENCE = /```([^\n`]*)\n?([\s\S]*?)(?:```|$)/g
const PARAGRAPH_BREAK = /\n[ \t]*\n/

/**
 * Separates what the user asks from what they pasted: fenced blocks are context; otherwise the first
 * paragraph (and a short closing question after a long paste) is the instruction.
 */
export function viewText(text: string, length = text.length): TextView {
  const hasFence = text.includes('```')
  if (!hasFence && text.length <= SHORT_TEXT_CHARS)
    return { instruction: text, context: '', hasFence, fenceTags: '', length }

  let prose = text
  let context = ''
  let fenceTags = ''
  if (hasFence) {
    prose = text.replace(FENCE, (_block, tag: string, body: string) => {
      if (tag.length > 0 && fenceTags.length < 100) fenceTags += `${tag.trim().toLowerCase()} `
      if (context.length < CONTEXT_CHARS) context += `${body.slice(0, CONTEXT_CHARS - context.length)}\n`
      return '\n\n'
    })
  }
  const paragraphs = prose.split(PARAGRAPH_BREAK).filter((p) => p.trim().length > 0)
  if (paragraphs.length === 0)
    return { instruction: '', context: clip(context, CONTEXT_CHARS), hasFence, fenceTags, length }

  // One long block: the ask is its first or last line when that line reads as one ("Summarize:\n…").
  if (paragraphs.length === 1 && !hasFence) {
    const block = paragraphs[0] ?? ''
    const split = splitAskLine(block)
    if (split !== null) return { ...split, hasFence, fenceTags, length }
    // A single long paragraph (a word problem, a spec) is all instruction.
    return { instruction: clip(block, INSTRUCTION_CHARS * 2), context: '', hasFence, fenceTags, length }
  }
  const first = paragraphs[0] ?? ''
  let rest = paragraphs.slice(1)
  let instruction = clip(first, INSTRUCTION_CHARS)
  // The question often comes after the paste: "<log> … what's wrong?"
  const last = rest.at(-1)
  if (last !== undefined && last.length <= 400 && (first.length > INSTRUCTION_CHARS || looksLikeAsk(last))) {
    // A pasted document before the closing ask is context, not instruction.
    const isFirstPasted = first.length > 300 && !looksLikeAsk(first)
    instruction = isFirstPasted ? last : `${instruction}\n${last}`
    rest = isFirstPasted ? [first, ...rest.slice(0, -1)] : rest.slice(0, -1)
  }
  for (const paragraph of rest) {
    if (context.length >= CONTEXT_CHARS) break
    context += `${paragraph.slice(0, CONTEXT_CHARS - context.length)}\n`
  }
  return { instruction, context, hasFence, fenceTags, length }
}

const ASK_START =
  /^(?:please|pls|can you|could you|would you|what|which|who|why|how|is|are|does|do|should|explain|fix|summar|translat|tl;?dr|give|list|write|draft|make|turn|convert|extract|pull|group|classify|categori[sz]e|sort|compare|review|rewrite|correct|proofread|describe|tell|answer|identify|find|check|decide|help|based on|from (?:this|these|the)|using (?:this|these|the)|here (?:is|are)|below|résum|tradu|écris|rédige|corrige|explique|donne|quel|quels|quelle|peux-tu|pouvez-vous|resum|escrib|redact|explica|dame|cuál|qué|cómo|übersetz|fass|schreib|erklär|gib|was|wie|welche|kannst|bitte|请|把|帮|总结|概括|翻译|这|以下|下面)/i
const ASK_REFERENCE =
  /\b(?:this|these|that|those|above|below|following|attached|pasted)\b|ce texte|cet |cette |ces |este |esta |estos |estas |diese[nmrs]? |这|以上|以下|上面|下面/i

export function looksLikeAsk(paragraph: string): boolean {
  const text = paragraph.trim()
  if (/[?？]\s*$/.test(text)) return true
  if (text.length > 400) return false
  return ASK_START.test(text) || (text.length < 200 && ASK_REFERENCE.test(text))
}

/** "Summarize these notes:\n<notes>" or "<notes>\nWhat was decided?" in one block without blank lines. */
function splitAskLine(block: string): { instruction: string; context: string } | null {
  if (block.length <= SHORT_TEXT_CHARS) return null
  const firstBreak = block.indexOf('\n')
  const lastBreak = block.lastIndexOf('\n')
  if (firstBreak < 0) return null
  const head = block.slice(0, firstBreak)
  const tail = block.slice(lastBreak + 1)
  if (head.length <= 300 && (/[:：]\s*$/.test(head) || looksLikeAsk(head))) {
    return { instruction: head, context: clip(block.slice(firstBreak + 1), CONTEXT_CHARS) }
  }
  if (tail.length <= 300 && looksLikeAsk(tail)) {
    return { instruction: tail, context: clip(block.slice(0, lastBreak), CONTEXT_CHARS) }
  }
  return null
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? text.slice(0, maxChars) : text
}

const PASTED_AFTER_LEAD =
  /[:：][ \t]*\n\s*\S[\s\S]{80,}|\S[ \t]*\n[ \t]*\n\s*\S[\s\S]{40,}|["“«„「『][^"”»“」』]{80,}/

/** Did the user paste material to work on (a document, a passage, code), beyond the instruction? */
export function hasPastedMaterial(view: TextView): boolean {
  return view.context.length > 150 || view.length > 400 || PASTED_AFTER_LEAD.test(view.instruction)
}

const NUMBERED_ASK = /^\s*(?:\(?\d[.)]|(?:second(?:ly)?|third(?:ly)?|then|also|finally|and|plus|next)\b)/i

/**
 * Every paragraph a reader would take as a request, fenced blocks and pasted documents left out:
 * the first paragraph, a short closing ask, and numbered asks between pasted blocks ("2) Summarize
 * the thread below"). Paragraphs of the pasted material itself stay out, questions included.
 */
export function readAskParagraphs(text: string, startsWithRequest: (text: string) => boolean): string {
  const prose = text.includes('```') ? text.replace(FENCE, '\n\n') : text
  const paragraphs = prose.split(PARAGRAPH_BREAK).filter((p) => p.trim().length > 0)
  const asks: string[] = []
  const lastIndex = paragraphs.length - 1
  paragraphs.forEach((paragraph, index) => {
    if (index === 0) asks.push(clip(paragraph, INSTRUCTION_CHARS))
    else if (paragraph.length > 400) return
    else if (index === lastIndex && looksLikeAsk(paragraph)) asks.push(paragraph)
    else if (NUMBERED_ASK.test(paragraph) && startsWithRequest(paragraph)) asks.push(paragraph)
  })
  return asks.join('\n')
}
