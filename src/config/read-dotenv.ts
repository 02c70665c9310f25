import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'dotenv'
import { ConfigError } from './config-error.js'
import type { ConfigSources } from './load-config.js'

/** What `.env` contributed, for the banner and doctor (names only, never values). */
export interface DotenvSummary {
  path: string
  /** Variables taken from the file. */
  read: string[]
  /** Variables the file sets too but the environment already had: the environment wins. */
  kept: string[]
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw new ConfigError(`${path}: cannot read the .env file (${code ?? String(error)})`)
  }
}

/**
 * `.env` in the working directory, as Docker Compose reads it, merged under the environment: a variable
 * already set wins, and an empty value sets nothing (the copied .env.example is full of them). The
 * process environment itself is left alone; the merged copy is what configuration is read from.
 */
export function withDotenv(sources: ConfigSources): { sources: ConfigSources; dotenv: DotenvSummary | null } {
  const path = join(sources.cwd, '.env')
  const text = readText(path)
  if (text === null) return { sources, dotenv: null }
  const env: NodeJS.ProcessEnv = { ...sources.env }
  const read: string[] = []
  const kept: string[] = []
  for (const [name, value] of Object.entries(parse(text))) {
    if (!VARIABLE_NAME.test(name) || value === '') continue
    const current = sources.env[name]
    if (current !== undefined && current !== '') {
      kept.push(name)
      continue
    }
    env[name] = value
    read.push(name)
  }
  return { sources: { ...sources, env }, dotenv: { path, read, kept } }
}
