import { existsSync, readFileSync, writeFileSync } from 'node:fs'

// Replaces only the text between the bench markers of BENCHMARKS.md; other sections (the analyzer
// evaluation's <!-- eval:… --> block) belong to other tools and are left byte for byte.

export const START = '<!-- bench:start -->'
export const END = '<!-- bench:end -->'

export function writeBenchSection(path: string, markdown: string): void {
  const block = `${START}\n${markdown.trim()}\n${END}`
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = current.indexOf(START)
  const end = current.indexOf(END)
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(path, next)
}
