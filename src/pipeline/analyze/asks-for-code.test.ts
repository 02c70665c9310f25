import { describe, expect, it } from 'vitest'
import { asksForCode } from './asks-for-code.js'

describe('asksForCode', () => {
  it.each([
    'Write a Python function that reverses a linked list.',
    'Implement a debounce hook in React with TypeScript.',
    'Can you give me a bash one-liner to find files over 1 GB?',
    'Fix this:\n```js\nconst x = [1,2,3].map(x => x * 2\n```',
    'Écris une fonction qui trie un tableau.',
    'Escribe una función en Go que invierta una cadena.',
    'Schreibe ein Skript, das alle Logs löscht.',
    '写一个函数计算斐波那契数列',
    'Generate unit tests for the parser below.',
    'Write the SQL query that returns the top 5 customers.',
  ])('asks for code: %s', (text) => {
    expect(asksForCode(text)).toBe(true)
  })

  it.each([
    'Compare PostgreSQL and SQLite for a small single-user desktop app and recommend one.',
    'What is the difference between a mutex and a semaphore?',
    'How do I reverse a linked list in Rust?',
    'Why is my Docker build slow?',
    'Explain closures in JavaScript.',
    'Write a poem about the sea.',
    'Make a list of ten startup ideas.',
    'Summarize this article about the new Python release.',
  ])('does not: %s', (text) => {
    expect(asksForCode(text)).toBe(false)
  })

  it('stays linear on pathological text', () => {
    const text = `write ${'a '.repeat(2_000_000)}`
    const startedMs = performance.now()
    asksForCode(text)
    expect(performance.now() - startedMs).toBeLessThan(50)
  })
})
