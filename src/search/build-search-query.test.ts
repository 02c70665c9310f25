import { describe, expect, it } from 'vitest'
import { buildSearchQuery } from './build-search-query.js'

describe('buildSearchQuery', () => {
  it.each([
    [
      'Hi! Can you please tell me what the weather in Paris is tomorrow?',
      'what the weather in Paris is tomorrow',
    ],
    [
      'What is the latest stable version of Go right now?',
      'What is the latest stable version of Go right now',
    ],
    [
      'Could you look up who won the 2026 Australian Open final? Thanks!',
      'who won the 2026 Australian Open final',
    ],
    ['Search the web for Node.js 22 release date please', 'Node.js 22 release date'],
    ['Bonjour, peux-tu me dire quel temps il fera demain à Lyon ?', 'quel temps il fera demain à Lyon'],
    ["S'il te plaît, dis-moi la dernière version de Rust", 'la dernière version de Rust'],
    ['Hola, ¿me puedes decir cuál es la última versión de Python?', 'cuál es la última versión de Python'],
    [
      'Hallo, kannst du mir bitte sagen, wer die Wahl gestern gewonnen hat?',
      'wer die Wahl gestern gewonnen hat',
    ],
    ['你好，请问今天北京的天气怎么样？', '今天北京的天气怎么样'],
    ['帮我查一下最新的 iPhone 价格', '最新的 iPhone 价格'],
  ])('%s → %s', (text, query) => {
    expect(buildSearchQuery(text)).toBe(query)
  })

  it('keeps entities that start like framing ("Google", "Recherche")', () => {
    expect(buildSearchQuery('Google stock price today')).toBe('Google stock price today')
    expect(buildSearchQuery('Recherche opérationnelle : avancées en 2025 ?')).toBe(
      'Recherche opérationnelle : avancées en 2025',
    )
  })

  it('leaves out pasted code and the sentence introducing it', () => {
    const text =
      'Here is my code:\n```js\nimport _ from "lodash"\n```\nIs there a newer version of lodash than 4.17.21?'
    expect(buildSearchQuery(text)).toBe('Is there a newer version of lodash than 4.17.21')
  })

  it('picks the question and time-sensitive sentences from a long message, in order, within 200 chars', () => {
    const text = [
      "I'm planning a family trip and I have a lot of questions about all sorts of things, like the food, the trains, the museums and the general etiquette that we should follow while we are there.",
      'We land in Tokyo on 12 May 2026.',
      "What's the weather forecast for Tokyo next week?",
      'Also I love ramen.',
    ].join(' ')
    const query = buildSearchQuery(text)
    expect(query).toBe("We land in Tokyo on 12 May 2026 What's the weather forecast for Tokyo next week")
  })

  it('caps the length at 200 characters on a word boundary, and by characters for Chinese', () => {
    const long = buildSearchQuery(`latest news about ${'distributed databases '.repeat(20)}`)
    expect(long.length).toBeLessThanOrEqual(200)
    expect(long.endsWith('databases')).toBe(true)
    const chinese = buildSearchQuery(`最新${'数据库新闻'.repeat(60)}`)
    expect(Array.from(chinese)).toHaveLength(200)
  })

  it('falls back to the text when only framing remains', () => {
    expect(buildSearchQuery('hello?')).toBe('hello?')
    expect(buildSearchQuery('')).toBe('')
  })
})

describe('buildSearchQuery on pathological text', () => {
  // Whitespace, punctuation and dot-leader runs used to send the trailing-framing pattern into
  // cubic backtracking (3 KB took 11 s, blocking the whole server). 50 ms is far above linear cost
  // and far below any super-linear blow-up at these sizes.
  const budgetMs = 50
  const fillers = [' ', '\t', ', ', '.', '. ', '\u2028', '\r\n', '?', ' please', '…', '，']
  const sizes = [3_000, 60_000, 1_000_000, 10_000_000]

  it.each(fillers.flatMap((filler) => sizes.map((size) => [JSON.stringify(filler), size, filler] as const)))(
    '%s × %i characters finishes within the budget',
    (_label, size, filler) => {
      const text = `What is the weather in Paris today? a${filler.repeat(Math.ceil(size / filler.length))}b`
      const startedMs = performance.now()
      const query = buildSearchQuery(text)
      expect(performance.now() - startedMs).toBeLessThan(budgetMs)
      expect(query.length).toBeLessThanOrEqual(200)
      expect(query).toContain('weather in Paris')
    },
  )
})
