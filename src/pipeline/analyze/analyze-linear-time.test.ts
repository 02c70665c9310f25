import { performance } from 'node:perf_hooks'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ChatRequest } from '../../wire/openai/types.js'
import { analyzeRequest } from './analyze-request.js'
import { splitIntoParts } from './split-parts.js'

// Every pattern the analyzer and the splitter run on user text must be linear: a quadratic one turns a
// few kilobytes of padding into seconds of a blocked event loop. 50 ms is far above a linear analysis
// of any body (well under 1 ms, the text is read through bounded views) and far below a blowup.
const BOUND_MS = 50
const BODY_LIMIT_BYTES = 10 * 1024 * 1024
const SEED = 20_261_207

const PATHOLOGICAL_UNITS = [
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u2028',
  ' \r\n\u2028\t',
  '\n \n',
  '.',
  ', ',
  '", "',
  '?',
  '? ',
  '?\n',
  ';',
  ': ',
  '{',
  ') {',
  '```',
  '"',
  'a',
  'Error',
  ' and ',
  ' and then ',
  '1. ',
  '- ',
  '然后',
  '  at ',
] as const

const PREFIXES = [
  '',
  'What is the weather in Paris today? a',
  'Translate this:\n',
  'Fix this code: ',
] as const

const asRequest = (content: string): ChatRequest => ({ model: 'auto', messages: [{ role: 'user', content }] })

/** A flat (not rope) string, as JSON.parse hands the analyzer, so the timing is the analysis alone. */
function flatBody(prefix: string, unit: string, bytes: number, suffix: string): string {
  return Buffer.from(`${prefix}${unit.repeat(Math.ceil(bytes / unit.length))}${suffix}`).toString()
}

/** Best of two runs: a super-linear pattern is slow every time, a busy shared CPU only sometimes. */
function analysisMs(body: string): number {
  let best = Number.POSITIVE_INFINITY
  for (let attempt = 0; attempt < 2; attempt++) {
    const start = performance.now()
    const analysis = analyzeRequest(asRequest(body))
    splitIntoParts(body, analysis)
    best = Math.min(best, performance.now() - start)
    if (best <= BOUND_MS) break
  }
  return best
}

describe('analysis time on pathological text', () => {
  it.each(PATHOLOGICAL_UNITS.map((unit) => [JSON.stringify(unit), unit]))(
    'runs of %s at 3 KB, 8 KB and 64 KB finish in ≤ 50 ms',
    (_label, unit) => {
      for (const bytes of [3_000, 8_000, 64_000]) {
        for (const prefix of PREFIXES) {
          expect(analysisMs(flatBody(prefix, unit, bytes, 'b')), `${prefix}+${bytes}`).toBeLessThanOrEqual(
            BOUND_MS,
          )
        }
      }
    },
  )

  it('any mix of pathological runs up to the 10 MB body limit finishes in ≤ 50 ms', () => {
    const body = fc
      .record({
        prefix: fc.constantFrom(...PREFIXES),
        unit: fc.constantFrom(...PATHOLOGICAL_UNITS),
        other: fc.constantFrom(...PATHOLOGICAL_UNITS),
        bytes: fc.integer({ min: 3_000, max: BODY_LIMIT_BYTES }),
        split: fc.double({ min: 0, max: 1, noNaN: true }),
        suffix: fc.string({ maxLength: 40 }),
      })
      .map(({ prefix, unit, other, bytes, split, suffix }) => {
        const first = Math.floor(bytes * split)
        return flatBody(prefix, unit, first, '') + flatBody('', other, bytes - first, suffix)
      })
    fc.assert(
      fc.property(body, (text) => analysisMs(text) <= BOUND_MS),
      { seed: SEED, numRuns: 40 },
    )
  })
})
