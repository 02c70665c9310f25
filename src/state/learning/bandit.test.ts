import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../lib/random.js'
import { createMemoryArmStatistics } from './arm-statistics.js'
import { Bandit } from './bandit.js'

describe('Bandit (discounted UCB1 with a table prior)', () => {
  it('ranks exactly like the table before it has seen anything', () => {
    const bandit = new Bandit()
    expect(bandit.quality('code', 'openrouter', 'm', 1)).toBeGreaterThan(
      bandit.quality('code', 'groq', 'm', 0.75),
    )
    expect(bandit.quality('code', 'groq', 'm', 0.75)).toBeCloseTo(0.75)
  })

  it('ranks a provider failing 10 out of 10 below an untried one (the seed got this wrong)', () => {
    const bandit = new Bandit()
    for (let i = 0; i < 10; i++) bandit.record('code', 'failing', 'm', 0)
    expect(bandit.quality('code', 'failing', 'm', 1)).toBeLessThan(
      bandit.quality('code', 'untried', 'm', 0.5),
    )
  })

  it('tries an untried arm before a well-known one wins forever', () => {
    const bandit = new Bandit()
    const arms = [
      ['known', 1],
      ['untried', 0.6],
    ] as const
    // The untried arm starts 0.4 below in the table; the exploration bonus, which grows with the
    // task's request count, still gets it a try (after a few thousand requests with these priors).
    let untriedPulls = 0
    let firstTry: number | null = null
    for (let step = 0; step < 20_000 && firstTry === null; step++) {
      const [best] = [...arms].sort(
        (a, b) => bandit.quality('general', b[0], 'm', b[1]) - bandit.quality('general', a[0], 'm', a[1]),
      )[0]!
      if (best === 'untried') {
        untriedPulls++
        firstTry = step
      }
      bandit.record('general', best, 'm', best === 'known' ? 0.85 : 0.8)
    }
    expect(untriedPulls).toBeGreaterThan(0)
    expect(firstTry).toBeLessThan(20_000)
  })

  it('converges on the best arm and notices when it gets worse', () => {
    const random = seededRandom(7)
    const bandit = new Bandit()
    const success = { a: 0.95, b: 0.6 }
    const pick = (): 'a' | 'b' =>
      bandit.quality('math', 'a', 'm', 0.8) >= bandit.quality('math', 'b', 'm', 0.8) ? 'a' : 'b'
    const picks: string[] = []
    for (let step = 0; step < 400; step++) {
      if (step === 200) {
        success.a = 0.3
        success.b = 0.95
      }
      const arm = pick()
      picks.push(arm)
      bandit.record('math', arm, 'm', random.next() < success[arm] ? 1 : 0)
    }
    const share = (from: number, to: number, arm: string) =>
      picks.slice(from, to).filter((p) => p === arm).length / (to - from)
    expect(share(100, 200, 'a')).toBeGreaterThan(0.7)
    expect(share(300, 400, 'b')).toBeGreaterThan(0.7)
  })

  it('exports and restores its statistics', () => {
    const bandit = new Bandit()
    bandit.record('code', 'groq', 'm', 1)
    const restored = new Bandit({}, createMemoryArmStatistics(bandit.export()))
    expect(restored.quality('code', 'groq', 'm', 0.5)).toBeCloseTo(bandit.quality('code', 'groq', 'm', 0.5))
  })
})
