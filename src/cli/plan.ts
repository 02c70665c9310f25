import { pino } from 'pino'
import { createApp } from '../app.js'
import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import type { Config, ProviderConfig } from '../config/types.js'
import { systemClock } from '../lib/clock.js'
import { systemRandom } from '../lib/random.js'
import { formatPlan } from './format-plan.js'
import { setupProblems } from './setup-problems.js'

export interface PlanIo {
  sources: ConfigSources
  out: (text: string) => void
  readStdin: () => Promise<string>
  /** --json: the same JSON as POST /v1/plan instead of the summary. */
  json?: boolean
}

/**
 * With no provider usable, every free cloud provider stands in as if its key were set: the analyzer needs
 * no key, and the plan then shows where the prompt would go once one is added. Nothing is called.
 */
function withStandIns(providers: readonly ProviderConfig[]): ProviderConfig[] {
  return providers.map((provider) =>
    provider.tier === 'free' && provider.keyEnv !== null
      ? { ...provider, enabled: true, disabledReason: null }
      : provider,
  )
}

function noProviderNote(config: Config): string[] {
  const problems = setupProblems(config.providers)
  const free = config.providers.filter((p) => p.tier === 'free' && p.keyEnv !== null)
  const example = free[0]
  return [
    '',
    'No LLM provider is configured, so this plan ranks every free provider as if its key were set.',
    ...problems.map((problem) => `  ${problem}`),
    `To add one: export ${example?.keyEnv ?? 'GROQ_API_KEY'}=… (free key: ${example?.keyUrl ?? 'https://console.groq.com/keys'}); smartsplit --help lists every variable, smartsplit doctor checks them.`,
  ]
}

/** `smartsplit plan "PROMPT"` (or `-` for stdin): where the prompt would go, without calling any model. */
export async function printPlan(
  prompt: string,
  model: string,
  overrides: ConfigOverrides,
  io: PlanIo,
): Promise<void> {
  const text = prompt === '-' ? await io.readStdin() : prompt
  const config = loadConfig(overrides, io.sources)
  const isConfigured = config.providers.some((provider) => provider.enabled)
  const planned: Config = {
    ...config,
    providers: isConfigured ? config.providers : withStandIns(config.providers),
    // A dry run keeps nothing: the data dir is not touched.
    store: 'memory',
  }
  const app = createApp(planned, {
    clock: systemClock,
    random: systemRandom,
    logger: pino({ level: 'silent' }),
  })
  try {
    const view = await app.plan({ model, messages: [{ role: 'user', content: text }] })
    if (io.json === true) {
      io.out(JSON.stringify({ ...view, planner: 'local', providers_configured: isConfigured }, null, 2))
      return
    }
    io.out([...formatPlan(view), ...(isConfigured ? [] : noProviderNote(config))].join('\n'))
  } finally {
    await app.close()
  }
}
