import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  END_MARKER,
  README_PATH,
  renderConfigTable,
  START_MARKER,
  withConfigTable,
} from '../../scripts/gen-config-docs.js'

// README's configuration reference is generated from the zod schema: these fail when someone changes
// the schema without `npm run docs:config`, or adds a key without describing it.

describe('configuration reference in README.md', () => {
  it('is exactly what the schema generates (run npm run docs:config)', () => {
    const readme = readFileSync(README_PATH, 'utf8')
    const between = readme.slice(
      readme.indexOf(START_MARKER) + START_MARKER.length,
      readme.indexOf(END_MARKER),
    )
    expect(between.trim()).toBe(renderConfigTable())
  })

  it('documents every key, its type and the default loadConfig really uses', () => {
    const table = renderConfigTable()
    expect(table).toContain('| `server.port` | integer 0–65535 | `8420` |')
    expect(table).toContain('| `mode` | "economy" \\| "balanced" \\| "quality" | `"balanced"` |')
    expect(table).toContain('| `providers.<name>.limits.rpm` | integer > 0 \\| null |')
    expect(table).toContain('| `routing.<task>` | string[] |')
  })

  it('refuses a schema key without a description, and a description without a key', () => {
    const schema = z.object({ known: z.string().optional(), nested: z.object({ fresh: z.number() }) })
    expect(() => renderConfigTable(schema, { known: { text: 'a documented key' } })).toThrow(
      'no description for: nested.fresh',
    )
    expect(() =>
      renderConfigTable(schema, {
        known: { text: 'a' },
        'nested.fresh': { text: 'b' },
        gone: { text: 'removed from the schema' },
      }),
    ).toThrow('described but not in the schema: gone')
  })

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\n${START_MARKER}\nold table\n${END_MARKER}\n\nAfter.\n`
    expect(withConfigTable(readme, '| new |')).toBe(
      `# Title\n\n${START_MARKER}\n| new |\n${END_MARKER}\n\nAfter.\n`,
    )
    expect(() => withConfigTable('# no markers', '| new |')).toThrow(START_MARKER)
  })
})
