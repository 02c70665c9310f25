// Plain-text tables for the CLI (doctor, stats): columns padded to their widest cell, numbers aligned
// right, and an optional note under a row (doctor's hints) that starts at a chosen column.

export interface TableColumn {
  header: string
  align?: 'left' | 'right'
}

export interface TableRow {
  cells: readonly string[]
  /** Printed on its own line under the row, starting at `noteColumn`. */
  note?: string
}

export interface TableOptions {
  /** Leading spaces on every line. */
  indent?: number
  /** The column notes line up with (default 0). */
  noteColumn?: number
  /** Print the header and a rule under it (default true). */
  showHeader?: boolean
}

const GAP = '  '

// Width in terminal cells: code points, so ✓ and ✗ count as one.
const widthOf = (text: string): number => [...text].length

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - widthOf(text)))
  return align === 'right' ? fill + text : text + fill
}

/** Renders the table as lines (no trailing spaces), ready to join with '\n'. */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
  options: TableOptions = {},
): string[] {
  const indent = ' '.repeat(options.indent ?? 2)
  const showHeader = options.showHeader ?? true
  const widths = columns.map((column, index) =>
    rows.reduce(
      (widest, row) => Math.max(widest, widthOf(row.cells[index] ?? '')),
      showHeader ? widthOf(column.header) : 0,
    ),
  )
  const line = (cells: readonly string[], isHeader: boolean): string =>
    (
      indent +
      columns
        .map((column, index) =>
          pad(cells[index] ?? '', widths[index]!, isHeader ? 'left' : (column.align ?? 'left')),
        )
        .join(GAP)
    ).trimEnd()
  const noteColumn = Math.min(options.noteColumn ?? 0, columns.length - 1)
  const noteIndent = ' '.repeat(
    indent.length + widths.slice(0, noteColumn).reduce((sum, width) => sum + width + GAP.length, 0),
  )
  const lines: string[] = []
  if (showHeader) {
    lines.push(
      line(
        columns.map((c) => c.header),
        true,
      ),
    )
    lines.push((indent + widths.map((width) => '─'.repeat(width)).join(GAP)).trimEnd())
  }
  for (const row of rows) {
    lines.push(line(row.cells, false))
    if (row.note !== undefined) lines.push(noteIndent + row.note)
  }
  return lines
}
