import { readFileSync } from 'node:fs'

/** One request a real coding-agent CLI sent, as captured in test/fixtures/clients/ (its README says how). */
export interface ClientFixture {
  client: string
  version: string
  method: string
  path: string
  headers: Record<string, string>
  body: Record<string, unknown>
}

export const CLIENT_FIXTURES = [
  'claude-code.tool-turn.json',
  'claude-code.title.json',
  'codex.tool-turn.json',
  'opencode.tool-turn.json',
  'qwen-code.tool-turn.json',
  'continue-cli.tool-turn.json',
]

export function loadClientFixture(name: string): ClientFixture {
  const url = new URL(`../fixtures/clients/${name}`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as ClientFixture
}
