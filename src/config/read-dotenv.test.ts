import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './load-config.js'
import { withDotenv } from './read-dotenv.js'

function dirWith(dotenv: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-dotenv-'))
  if (dotenv !== null) writeFileSync(join(dir, '.env'), dotenv)
  return dir
}

describe('withDotenv', () => {
  it('reads .env in the working directory under the environment: variables already set win', () => {
    const cwd = dirWith(
      '# copied from .env.example\nGROQ_API_KEY=gsk_from_file\nCEREBRAS_API_KEY=csk-file\nGEMINI_API_KEY=\nexport MISTRAL_API_KEY="quoted"\n',
    )
    const env = { CEREBRAS_API_KEY: 'csk-shell', PATH: '/bin' }
    const { sources, dotenv } = withDotenv({ env, cwd })
    expect(sources.env).toMatchObject({
      GROQ_API_KEY: 'gsk_from_file',
      CEREBRAS_API_KEY: 'csk-shell',
      MISTRAL_API_KEY: 'quoted',
      PATH: '/bin',
    })
    expect(sources.env.GEMINI_API_KEY).toBeUndefined()
    expect(dotenv).toEqual({
      path: join(cwd, '.env'),
      read: ['GROQ_API_KEY', 'MISTRAL_API_KEY'],
      kept: ['CEREBRAS_API_KEY'],
    })
    // The caller's environment is left as it was.
    expect(env).toEqual({ CEREBRAS_API_KEY: 'csk-shell', PATH: '/bin' })
    const config = loadConfig({}, { ...sources, homeDir: cwd })
    expect(config.providers.find((p) => p.name === 'groq')?.apiKeys).toEqual(['gsk_from_file'])
    expect(config.providers.find((p) => p.name === 'cerebras')?.apiKeys).toEqual(['csk-shell'])
  })

  it('changes nothing without a .env, and names the file when it cannot be read', () => {
    const cwd = dirWith(null)
    const sources = { env: { A: '1' }, cwd }
    expect(withDotenv(sources)).toEqual({ sources, dotenv: null })
    const unreadable = dirWith(null)
    mkdirSync(join(unreadable, '.env'))
    expect(() => withDotenv({ env: {}, cwd: unreadable })).toThrow(
      `${join(unreadable, '.env')}: cannot read the .env file (EISDIR)`,
    )
  })
})
