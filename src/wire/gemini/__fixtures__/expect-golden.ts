import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'

/**
 * Compares `actual` with the JSON golden file; `UPDATE_GOLDEN=1 npx vitest run src/wire/gemini`
 * rewrites the goldens instead, so a change shows up as a reviewable diff.
 */
export function expectGolden(url: URL, actual: unknown): void {
  const normalized: unknown = JSON.parse(JSON.stringify(actual))
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) {
    writeFileSync(url, `${JSON.stringify(normalized, null, 2)}\n`)
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`Golden ${url.pathname} was missing: written, review it`)
    return
  }
  expect(normalized).toEqual(JSON.parse(readFileSync(url, 'utf8')))
}

export function fixtureUrl(name: string): URL {
  return new URL(`./${name}`, import.meta.url)
}

export function readFixture(name: string): string {
  return readFileSync(fixtureUrl(name), 'utf8')
}
