// Pipe tables of a markdown text the project vendors (data/evidence/routing-evidence.md): header, a
// `|---|` line, then rows until the first line that is not a table row. Cells hold no escaped pipes there.

export interface MarkdownTable {
  header: string[]
  rows: string[][]
}

const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim())

/** The table whose header line starts with `headerStart`; throws when the text has none. */
export function markdownTable(text: string, headerStart: string): MarkdownTable {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.startsWith(headerStart))
  if (start < 0) throw new Error(`no table whose header starts with "${headerStart}"`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(cellsOf(line))
  }
  return { header: cellsOf(lines[start] ?? ''), rows }
}

/** A cell's text without markdown emphasis or code marks. */
export const plainText = (cell: string): string => cell.replace(/\*\*|`/g, '').trim()
