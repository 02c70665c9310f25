import type { DotenvSummary } from '../config/read-dotenv.js'
import type { Config, ProviderConfig } from '../config/types.js'
import { VERSION } from '../version.js'
import { setupProblems } from './setup-problems.js'
import { webSearchStatus } from './web-search-status.js'

function dotenvLine(dotenv: DotenvSummary | null): string[] {
  if (dotenv === null) return []
  const kept = dotenv.kept.length === 0 ? '' : `; ${dotenv.kept.length} already set in the environment kept`
  const count = `${dotenv.read.length} variable${dotenv.read.length === 1 ? '' : 's'}`
  return [`  .env: ${dotenv.path} (${count} read${kept})`]
}

function noProviderLines(providers: readonly ProviderConfig[], problems: readonly string[]): string[] {
  if (problems.length > 0) {
    return [
      '',
      '  No LLM provider is usable, so chat requests will get 503 until this is fixed:',
      ...problems.map((problem) => `    ${problem}`),
    ]
  }
  const lines = [
    '',
    '  No LLM provider is configured, so chat requests will get 503 until you add one.',
    '  SmartSplit reads these environment variables (a comma-separated value gives several keys):',
  ]
  for (const provider of providers.filter((p) => p.keyEnv !== null)) {
    const paid = provider.tier === 'paid' ? ' (paid; also needs "enabled": true in smartsplit.json)' : ''
    lines.push(`    ${provider.keyEnv!.padEnd(20)} ${provider.keyUrl}${paid}`)
  }
  lines.push('    CLOUDFLARE_ACCOUNT_ID  needed with CLOUDFLARE_API_KEY')
  lines.push('  Free keys: Groq, Cerebras, Gemini, OpenRouter and Mistral each take a minute to get.')
  return lines
}

/** What `smartsplit` prints once it listens: where, how, with which providers, and what is not working. */
export function formatBanner(
  url: string,
  config: Config,
  providers: readonly ProviderConfig[],
  dotenv: DotenvSummary | null = null,
): string {
  const enabled = providers.filter((p) => p.enabled)
  const problems = setupProblems(providers)
  const lines = [
    `SmartSplit ${VERSION} listening on ${url}/v1`,
    `  mode: ${config.mode}   config: ${config.source ?? '(none: defaults + environment)'}`,
    ...dotenvLine(dotenv),
  ]
  if (enabled.length === 0) {
    lines.push(...noProviderLines(providers, problems))
  } else {
    lines.push(`  providers: ${enabled.map((p) => `${p.name} (${p.model})`).join(', ')}`)
    for (const problem of problems) lines.push(`  not used: ${problem}`)
  }
  lines.push(`  web search: ${webSearchStatus(config.search)}`)
  lines.push('', `  Point any OpenAI client at ${url}/v1 with model "smartsplit".`)
  return lines.join('\n')
}
