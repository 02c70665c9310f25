import { describe, expect, it } from 'vitest'
import { analyzeRequest } from './analyze-request.js'
import { canSplit, splitIntoParts } from './split-parts.js'

const split = (prompt: string) =>
  splitIntoParts(prompt, analyzeRequest({ model: 'auto', messages: [{ role: 'user', content: prompt }] }))
const types = (prompt: string) => split(prompt)?.map((part) => part.task) ?? null

describe('splitIntoParts: hard negatives stay whole', () => {
  it.each([
    'Compare Vue and Svelte for a small dashboard project.',
    'Write a function that parses dates and its unit tests.',
    'Summarize this article in French:\n\nThe council approved a new tram line that will connect the university to the airport by 2028. Construction starts next spring.',
    'Translate "See you soon" into French, German and Italian.',
    'What is a tsunami, what causes it, and how are people warned?',
    'Fix the bug and explain why it happened:\n```js\nconst total = prices.reduce((a, b) => a + b)\n```',
    'Write a short poem and a tiny story, both about a lighthouse.',
    'Calculate the mean, median and standard deviation of 4, 8, 15, 16, 23, 42.',
    'Explain photosynthesis step by step, in Spanish, as a table.',
  ])('%s', (prompt) => {
    expect(split(prompt)).toBeNull()
  })
})

describe('splitIntoParts: separate deliverables of different types', () => {
  it('poem then translation', () => {
    expect(types('Write a short poem about the sea, then translate it into German.')).toEqual([
      'general',
      'translation',
    ])
  })
  it('Spanish: poem then translation', () => {
    expect(types('Escribe un poema corto sobre la luna y luego tradúcelo al inglés.')).toEqual([
      'general',
      'translation',
    ])
  })
  it('code fix plus commit message', () => {
    const prompt =
      'Fix the off-by-one error in this loop and give me a commit message.\n```python\nfor i in range(len(xs) + 1):\n    print(xs[i])\n```'
    expect(types(prompt)).toEqual(['code', 'boilerplate'])
  })
  it('fresh fact plus arithmetic', () => {
    expect(
      types("What's the EUR to CHF exchange rate today? Then compute how much 1,250 EUR is in francs."),
    ).toEqual(['web_search', 'math'])
  })
  it('email plus weather lookup', () => {
    expect(
      types(
        'Write a short invitation email for our team picnic, and tell me what the weather will be in Munich this Saturday.',
      ),
    ).toEqual(['general', 'web_search'])
  })
  it('merges same-type parts and keeps parts typed and rated', () => {
    const parts = split(
      'Write a limerick about coffee, write a haiku about tea, and then translate both into French.',
    )
    expect(parts?.map((part) => part.task)).toEqual(['general', 'translation'])
    for (const part of parts ?? []) expect(['low', 'medium', 'high']).toContain(part.complexity)
  })
})

describe('canSplit', () => {
  it('never splits agentic or background requests', () => {
    expect(canSplit({ isAgentic: true, isBackgroundCall: false })).toBe(false)
    expect(canSplit({ isAgentic: false, isBackgroundCall: true })).toBe(false)
    expect(canSplit({ isAgentic: false, isBackgroundCall: false })).toBe(true)
  })
  it('returns null for an agentic analysis', () => {
    const analysis = analyzeRequest({
      model: 'auto',
      messages: [{ role: 'user', content: 'Write a poem, then translate it into German.' }],
      tools: [{ type: 'function', function: { name: 'search' } }],
    })
    expect(splitIntoParts('Write a poem, then translate it into German.', analysis)).toBeNull()
  })
})
