import { describe, expect, it } from 'vitest'
import { costAndSavings } from './prices.js'

const reference = { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 }

describe('costAndSavings', () => {
  it.each(['constructor', 'toString', '__proto__'])(
    'prices a paid model named "%s" at the reference price, in plain numbers',
    (model) => {
      const { costUsd, savedUsd } = costAndSavings(1_000_000, 0, true, model, reference)
      expect(costUsd).toBe(2.5)
      expect(savedUsd).toBe(0)
    },
  )
})
