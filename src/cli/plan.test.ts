import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { printPlan } from './plan.js'

describe('smartsplit plan', () => {
  it("prints each candidate's quality prior and the evidence behind it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'))
    const printed: string[] = []
    await printPlan(
      'Fix this Python function, it raises KeyError:\n```python\ndef get(d, k):\n    return d[k]\n```',
      'smartsplit',
      { dataDir: dir },
      {
        sources: { env: { CEREBRAS_API_KEY: 'c', GEMINI_API_KEY: 'g' }, cwd: dir, homeDir: dir },
        out: (text) => printed.push(text),
        readStdin: async () => '',
        json: true,
      },
    )
    const plan = JSON.parse(printed.join('')) as {
      tasks: {
        type: string
        candidates: {
          provider: string
          prior: number
          prior_from: string
          sources: string[]
          stale: boolean
        }[]
      }[]
    }
    expect(plan.tasks[0]!.type).toBe('code')
    const [first, second] = plan.tasks[0]!.candidates
    expect(first).toMatchObject({ provider: 'gemini', prior_from: 'evidence' })
    expect(first!.sources).toContain('swe-bench-bash-only/verified')
    expect(typeof first!.stale).toBe('boolean')
    expect(second).toMatchObject({ provider: 'cerebras', prior_from: 'evidence' })
    expect(first!.prior).toBeGreaterThan(second!.prior)
  })

  it('shows the priors in the summary too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'))
    const printed: string[] = []
    await printPlan(
      'Write a Python function that reverses a linked list.',
      'smartsplit',
      { dataDir: dir },
      {
        sources: { env: { GROQ_API_KEY: 'g' }, cwd: dir, homeDir: dir },
        out: (text) => printed.push(text),
        readStdin: async () => '',
      },
    )
    expect(printed.join('\n')).toMatch(/groq\/\S+: prior 0\.\d\d from evidence/)
  })
})
