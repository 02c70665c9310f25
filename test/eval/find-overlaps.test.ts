import { describe, expect, it } from 'vitest'
import { findOverlaps } from '../../eval/find-overlaps.js'

// The guard of `npm run eval`: a prompt of one split must not reappear, exactly or nearly, in another.

describe('findOverlaps', () => {
  it('finds an exact duplicate across splits, whatever the case and punctuation', () => {
    const overlaps = findOverlaps([
      { split: 'train', id: 't1', text: 'Why is the sky blue?' },
      { split: 'test', id: 'x1', text: 'why is the sky BLUE' },
    ])
    expect(overlaps.map((o) => [o.a.id, o.b.id, o.similarity])).toEqual([['t1', 'x1', 1]])
  })

  it('finds a near duplicate (word 6-gram Jaccard ≥ 0.5) and lets a mere paraphrase pass', () => {
    const base =
      'Write a Python function that reads a CSV file and returns the average of the price column, with type hints.'
    const overlaps = findOverlaps([
      { split: 'train', id: 't1', text: base },
      { split: 'dev', id: 'd1', text: base.replace('with type hints.', 'with type hints and a docstring.') },
      { split: 'dev', id: 'd2', text: 'Give me a Python function averaging the price column of a CSV file.' },
    ])
    expect(overlaps.map((o) => o.b.id)).toEqual(['d1'])
    expect(overlaps[0]?.similarity).toBeGreaterThanOrEqual(0.5)
  })

  it('compares Chinese and Japanese by characters', () => {
    const overlaps = findOverlaps([
      { split: 'train', id: 't1', text: '请把这句话翻译成英文：我们下周一开会讨论预算。' },
      { split: 'test', id: 'x1', text: '请把这句话翻译成英文：“我们下周一开会讨论预算。”' },
    ])
    expect(overlaps).toHaveLength(1)
  })

  it('ignores duplicates inside one split', () => {
    expect(
      findOverlaps([
        { split: 'train', id: 't1', text: 'Hello there!' },
        { split: 'train', id: 't2', text: 'Hello there!' },
      ]),
    ).toEqual([])
  })
})
