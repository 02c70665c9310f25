import { readFileSync } from 'node:fs'

// Read once at start-up; works from src/ (tsx, tests) and from dist/ (the published bin).
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
}

export const VERSION: string = packageJson.version
