import { describe, expect, it } from 'vitest'
import type { ChatChunk } from '../openai/types.js'
import { stripCodeFence } from './strip-code-fence.js'

const chunk = (content: string | null, finish: 'stop' | null = null): ChatChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
})

async function textOf(pieces: string[]): Promise<string> {
  async function* source() {
    yield chunk('')
    for (const piece of pieces) yield chunk(piece)
    yield chunk(null, 'stop')
  }
  let text = ''
  let finished = 0
  for await (const out of stripCodeFence(source())) {
    text += out.choices[0]?.delta.content ?? ''
    if (out.choices[0]?.finish_reason === 'stop') finished++
  }
  expect(finished).toBe(1)
  return text
}

describe('stripCodeFence', () => {
  it('removes a fence around the answer, however the stream splits it', async () => {
    expect(await textOf(['```python\nreturn a + b\n```'])).toBe('return a + b')
    expect(await textOf(['`', '``ts', '\nconst x', ' = 1;\n', '``', '`\n'])).toBe('const x = 1;')
  })

  it('leaves an answer without a fence exactly as it came', async () => {
    expect(await textOf(['return a', ' + b'])).toBe('return a + b')
    expect(await textOf(['`x` is ', 'inline'])).toBe('`x` is inline')
    expect(await textOf(['  '])).toBe('  ')
  })
})
