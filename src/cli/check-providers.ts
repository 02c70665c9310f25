import type { Config, ProviderConfig } from '../config/types.js'
import { redactSecrets } from '../lib/redact.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import type { DoctorCheck } from './doctor-check.js'
import { type ProbeDeps, type ProbeResult, probeProvider } from './probe-provider.js'
import { setupProblems } from './setup-problems.js'

/** One probe: a key and a model, and the setting that names that model. */
interface Probe {
  provider: ProviderConfig
  key: string | null
  name: string
  model: string
  setting: 'model' | 'fast_model' | 'strong_model'
}

function describeLimits(limits: RateLimitReading): string {
  const parts: string[] = []
  const one = (remaining: number | null, limit: number | null, unit: string, window: string | null) => {
    if (remaining === null) return
    const per = window === null ? '' : `/${window === 'minute' ? 'min' : 'day'}`
    parts.push(`${remaining}${limit === null ? '' : `/${limit}`} ${unit}${per}`)
  }
  one(limits.requestsRemaining, limits.requestsLimit, 'req', limits.requestsWindow)
  one(limits.tokensRemaining, limits.tokensLimit, 'tok', limits.tokensWindow)
  return parts.length === 0 ? 'not reported' : parts.join(', ')
}

function failureOf(probe: Probe, result: ProbeResult & { ok: false }): Omit<DoctorCheck, 'name'> {
  const { provider } = probe
  const keySetting = provider.keyEnv ?? `providers.${provider.name}.api_key`
  const settings = `providers.${provider.name}`
  // Messages start with the provider's name ("groq answered 401: …"), already in the check column.
  const detail = result.message.startsWith(`${provider.name} `)
    ? result.message.slice(provider.name.length + 1)
    : result.message
  const warn = (hint: string) => ({ status: 'warn' as const, detail, hint })
  const fail = (hint: string) => ({ status: 'fail' as const, detail, hint })
  const retry = result.retryAfterMs === null ? '' : ` (retry in ${Math.ceil(result.retryAfterMs / 1000)} s)`
  switch (result.kind) {
    case 'auth':
      return fail(`the key was rejected: check ${keySetting} (new key: ${provider.keyUrl})`)
    case 'billing':
      return fail('the account has no credits: add some, or remove this key')
    case 'rate_limit':
      return warn(`the key works but is rate-limited right now${retry}; SmartSplit falls back meanwhile`)
    case 'quota':
      return warn(`today's quota is spent${retry}; SmartSplit uses the other providers until it resets`)
    case 'overloaded':
      return warn('the provider is failing right now; SmartSplit falls back meanwhile')
    case 'network':
      return fail(`cannot reach ${provider.baseUrl}: check the network, a proxy, or ${settings}.base_url`)
    case 'timeout':
      return fail(`no answer in time from ${provider.baseUrl}: the provider is down or unreachable`)
    case 'not_found':
      return fail(`model or URL not found: check ${settings}.${probe.setting} (${probe.model}) and base_url`)
    case 'model_retired':
      return fail(`${probe.model} is retired or unknown here: pick another in ${settings}.${probe.setting}`)
    case 'bad_request':
    case 'context_length':
      return fail(`a one-token request was refused: check ${settings}.${probe.setting} and dialect`)
    case 'malformed':
      return fail(`the answer is not the ${provider.dialect} wire format: check ${settings}.base_url`)
  }
}

/**
 * Every key with the provider's model; the fast model (most traffic) and the strong model (hard requests)
 * once more each on the first key, when they differ from it.
 */
function probesOf(provider: ProviderConfig): Probe[] {
  const keys = provider.apiKeys.length === 0 ? [null] : provider.apiKeys
  const probes: Probe[] = keys.map((key, index) => ({
    provider,
    key,
    name: keys.length > 1 ? `${provider.name} #${index + 1}` : provider.name,
    model: provider.model,
    setting: 'model',
  }))
  const tried = new Set([provider.model])
  const tiers = [
    { setting: 'fast_model', model: provider.fastModel, label: 'fast' },
    { setting: 'strong_model', model: provider.strongModel, label: 'strong' },
  ] as const
  for (const tier of tiers) {
    if (tried.has(tier.model)) continue
    tried.add(tier.model)
    probes.push({ provider, key: keys[0]!, name: `${provider.name} ${tier.label}`, ...tier })
  }
  return probes
}

async function runProbe(probe: Probe, secrets: readonly string[], deps: ProbeDeps): Promise<DoctorCheck> {
  const result = await probeProvider(probe.provider, probe.key, probe.model, deps)
  const base = { name: probe.name, latency: `${result.latencyMs} ms` }
  if (result.ok) return { ...base, status: 'ok', detail: probe.model, quota: describeLimits(result.limits) }
  const failure = failureOf(probe, result)
  return { ...base, ...failure, detail: redactSecrets(failure.detail, secrets) }
}

/** One row per probe; a row for each provider asked for but unusable; a failure naming why when none is. */
export async function checkProviders(config: Config, deps: ProbeDeps): Promise<DoctorCheck[]> {
  const secrets = config.providers.flatMap((p) => p.apiKeys)
  const enabled = config.providers.filter((p) => p.enabled)
  const checks = await Promise.all(enabled.flatMap(probesOf).map((probe) => runProbe(probe, secrets, deps)))
  for (const provider of config.providers) {
    if (!provider.enabled && provider.isRequested)
      checks.push({ status: 'skip', name: provider.name, detail: provider.disabledReason ?? 'disabled' })
  }
  if (enabled.length > 0) return checks
  const problems = setupProblems(config.providers)
  checks.push(
    problems.length > 0
      ? {
          status: 'fail',
          name: 'providers',
          detail: `no provider is usable: chat requests would get 503 (${problems.join('; ')})`,
          hint: 'fix the settings named above, or set a free key, e.g. GROQ_API_KEY',
        }
      : {
          status: 'fail',
          name: 'providers',
          detail: 'no provider is configured: chat requests would get 503',
          hint: 'set a free key, e.g. GROQ_API_KEY (https://console.groq.com/keys); smartsplit --help lists all',
        },
  )
  return checks
}
