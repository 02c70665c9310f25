import type { Config, ProviderConfig } from '../config/types.js'
import { VERSION } from '../version.js'

/** What `smartsplit` prints once it listens: where, how, and with which providers. */
export function formatBanner(url: string, config: Config, providers: readonly ProviderConfig[]): string {
  const enabled = providers.filter((p) => p.enabled)
  const lines = [
    `SmartSplit ${VERSION} listening on ${url}/v1`,
    `  mode: ${config.mode}   config: ${config.source ?? '(none: defaults + environment)'}`,
  ]
  if (enabled.length === 0) {
    lines.push(
      '',
      '  No LLM provider is configured, so chat requests will get 503 until you add one.',
      '  SmartSplit reads these environment variables (a comma-separated value gives several keys):',
    )
    for (const provider of providers.filter((p) => p.keyEnv !== null)) {
      const paid = provider.tier === 'paid' ? ' (paid; also needs "enabled": true in smartsplit.json)' : ''
      lines.push(`    ${provider.keyEnv!.padEnd(20)} ${provider.keyUrl}${paid}`)
    }
    lines.push('    CLOUDFLARE_ACCOUNT_ID  needed with CLOUDFLARE_API_KEY')
    lines.push('  Free keys: Groq, Cerebras, Gemini, OpenRouter and Mistral each take a minute to get.')
  } else {
    lines.push(`  providers: ${enabled.map((p) => `${p.name} (${p.model})`).join(', ')}`)
  }
  lines.push('', `  Point any OpenAI client at ${url}/v1 with model "smartsplit".`)
  return lines.join('\n')
}
