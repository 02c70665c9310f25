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

  const first = paragraphs[0] ?? ''
  // A single long paragraph (a word problem, a spec) is all instruction.
  if (paragraphs.length === 1 && !hasFence) {
    return { instruction: clip(first, INSTRUCTION_CHARS * 2), context: '', hasFence, fenceTags, length }
  }
  let instruction = clip(first, INSTRUCTION_CHARS)
  let rest = paragraphs.slice(1)
  // The question often comes after the paste: "<log> … what's wrong?"
  const last = rest.at(-1)
  if (last !== undefined && last.length <= 400 && (first.length > INSTRUCTION_CHARS || looksLikeAsk(last))) {
    instruction = `${instruction}\n${last}`
    rest = rest.slice(0, -1)
  }
  for (const paragraph of rest) {
    if (context.length >= CONTEXT_CHARS) break
    context += `${paragraph.slice(0, CONTEXT_CHARS - context.length)}\n`
  }
  return { instruction, context, hasFence, fenceTags, length }
}

const ASK = /\?\s*$|^(?:please|can you|could you|what|why|how|explain|fix|summar|translat)/i

function looksLikeAsk(paragraph: string): boolean {
  return ASK.test(paragraph.trim())
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? text.slice(0, maxChars) : text
}

const PASTED_AFTER_LEAD = /[:：]\s*\n\s*\S[\s\S]{80,}|["“«„「『][^"”»“」』]{80,}/

/** Did the user paste material to work on (a document, a passage, code), beyond the instruction? */
export function hasPastedMaterial(view: TextView): boolean {
  return view.context.length > 150 || view.length > 400 || PASTED_AFTER_LEAD.test(view.instruction)
}
