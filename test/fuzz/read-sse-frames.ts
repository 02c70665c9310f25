import { expect } from 'vitest'

export interface SseFrame {
  event?: string
  data: string
}

/**
 * The events of an SSE body as a client reads them (comments skipped), for the dialects whose events
 * are all named (Anthropic, Responses): a `data: [DONE]` has no place in those.
 */
export function readSseFrames(text: string): SseFrame[] {
  const frames: SseFrame[] = []
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n').filter((line) => line !== '' && !line.startsWith(':'))
    if (lines.length === 0) continue
    const frame: SseFrame = { data: '' }
    for (const line of lines) {
      if (line.startsWith('event: ')) frame.event = line.slice(7)
      else if (line.startsWith('data: ')) frame.data += line.slice(6)
      else throw new Error(`not an SSE line: ${line.slice(0, 200)}`)
    }
    expect(frame.data, 'no [DONE] in a dialect whose events are named').not.toBe('[DONE]')
    frames.push(frame)
  }
  return frames
}
