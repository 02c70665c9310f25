import type { ChatChunk } from '../openai/types.js'

const FENCE = '```'
/** How much of the end is held back while streaming: enough for a closing fence and the blank after it. */
const HOLD_BACK = 8
const CLOSING_FENCE = /\n?`{3}\s*$/

function withContent(chunk: ChatChunk, content: string): ChatChunk {
  return {
    ...chunk,
    choices: chunk.choices.map((choice, index) =>
      index === 0 ? { ...choice, delta: { ...choice.delta, content } } : choice,
    ),
  }
}

/**
 * A chat model asked for the text at the cursor sometimes wraps it in a Markdown code fence anyway; an
 * editor would insert the fence. This removes an opening fence (with its language tag) when the answer
 * starts with one, and then the closing fence at its end. Streaming: the start is held until its first
 * line is known, the last few characters until the end is. A native FIM answer never goes through it.
 */
export async function* stripCodeFence(chunks: AsyncIterable<ChatChunk>): AsyncGenerator<ChatChunk> {
  let state: 'start' | 'fenced' | 'plain' = 'start'
  let held = ''
  let last: ChatChunk | null = null
  /** What is held, as it should go out now that the answer has ended. */
  const release = (): string => {
    const text = state === 'fenced' ? held.replace(CLOSING_FENCE, '') : held
    held = ''
    return text
  }
  for await (const chunk of chunks) {
    const choice = chunk.choices[0]
    const content = typeof choice?.delta.content === 'string' ? choice.delta.content : ''
    const isEnd = choice?.finish_reason != null
    if (content === '' && !isEnd) {
      yield chunk
      continue
    }
    last = chunk
    held += content
    if (state === 'start') {
      const trimmed = held.trimStart()
      const mayBeFence = trimmed.length < FENCE.length && FENCE.startsWith(trimmed)
      if (trimmed.startsWith(FENCE)) {
        const newline = trimmed.indexOf('\n')
        if (newline >= 0) {
          state = 'fenced'
          held = trimmed.slice(newline + 1)
        }
      } else if (!mayBeFence) state = 'plain'
    }
    if (isEnd) {
      yield withContent(chunk, state === 'start' ? held : release())
      held = ''
      continue
    }
    if (state === 'plain') {
      yield withContent(chunk, held)
      held = ''
    } else if (state === 'fenced' && held.length > HOLD_BACK) {
      yield withContent(chunk, held.slice(0, -HOLD_BACK))
      held = held.slice(-HOLD_BACK)
    }
  }
  // The stream ended without a finish chunk: what is held goes out in the last content chunk's shape.
  if (last !== null && held !== '') yield withContent(last, state === 'start' ? held : release())
}
