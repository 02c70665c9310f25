import { homedir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'undici'
import { ConfigError } from '../config/config-error.js'
import { type ConfigOverrides, type ConfigSources, DEFAULTS, loadConfig } from '../config/load-config.js'
import type { Config, ProviderConfig } from '../config/types.js'
import { exposureProblem, isLoopbackHost } from '../http/security/loopback.js'
import { type Clock, systemClock } from '../lib/clock.js'
import { type Random, systemRandom } from '../lib/random.js'
import { redactSecrets } from '../lib/redact.js'
import type { RateLimitReading } from '../providers/types.js'
import { VERSION } from '../version.js'
import { checkDataDir } from './check-data-dir.js'
import { checkModelLists } from './check-model-lists.js'
import { checkPort } from './check-port.js'
import type { DoctorCheck } from './doctor-check.js'
import { formatTable } from './format-table.js'
import { createProbeAdapters, type ProbeDeps, type ProbeResult, probeProvider } from './probe-provider.js'

export interface DoctorIo {
  sources: ConfigSources
  out: (text: string) => void
  clock?: Clock
  random?: Random
}

export interface DoctorResult {
  /** 1 when any check failed; warnings alone keep 0. */
  exitCode: 0 | 1
  checks: DoctorCheck[]
}

const SYMBOL: Record<DoctorCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' }

function checkConfig(overrides: ConfigOverrides, sources: ConfigSources): Config | DoctorCheck {
  try {
    return loadConfig(overrides, sources)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return {
      status: 'fail',
      name: 'config',
      detail: error.message
        .split('\n')
        .map((line) => line.trim())
        .join('; '),
      hint: 'fix the fields named above (smartsplit.example.json shows every one)',
    }
  }
}

function describeSource(config: Config): DoctorCheck {
  return config.source === null
    ? {
        status: 'ok',
        name: 'config',
        detail: 'no file: defaults + environment (looked at --config, $SMARTSPLIT_CONFIG, ./smartsplit.json)',
      }
    : { status: 'ok', name: 'config', detail: `${config.source} is valid` }
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

function failureOf(provider: ProviderConfig, result: ProbeResult & { ok: false }): Omit<DoctorCheck, 'name'> {
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
      return fail(`model or URL not found: check ${settings}.model (${provider.model}) and base_url`)
    case 'model_retired':
      return fail(`${provider.model} is retired or unknown here: pick another in ${settings}.model`)
    case 'bad_request':
    case 'context_length':
      return fail(`a one-token request was refused: check ${settings}.model and dialect`)
    case 'malformed':
      return fail(`the answer is not the ${provider.dialect} wire format: check ${settings}.base_url`)
  }
}

function keyLabel(provider: ProviderConfig, index: number): string {
  return provider.apiKeys.length > 1 ? `${provider.name} #${index + 1}` : provider.name
}

async function checkProviders(config: Config, deps: ProbeDeps): Promise<DoctorCheck[]> {
  const secrets = config.providers.flatMap((p) => p.apiKeys)
  const enabled = config.providers.filter((p) => p.enabled)
  const probes = enabled.flatMap((provider) =>
    (provider.apiKeys.length === 0 ? [null] : provider.apiKeys).map(
      async (key, index): Promise<DoctorCheck> => {
        const result = await probeProvider(provider, key, deps)
        const base = { name: keyLabel(provider, index), latency: `${result.latencyMs} ms` }
        if (result.ok)
          return { ...base, status: 'ok', detail: provider.model, quota: describeLimits(result.limits) }
        const failure = failureOf(provider, result)
        return { ...base, ...failure, detail: redactSecrets(failure.detail, secrets) }
      },
    ),
  )
  const checks: DoctorCheck[] = await Promise.all(probes)
  for (const provider of config.providers) {
    if (!provider.enabled && provider.apiKeys.length > 0)
      checks.push({ status: 'skip', name: provider.name, detail: provider.disabledReason ?? 'disabled' })
  }
  if (enabled.length === 0) {
    checks.push({
      status: 'fail',
      name: 'providers',
      detail: 'no provider is configured: chat requests would get 503',
      hint: 'set a free key, e.g. GROQ_API_KEY (https://console.groq.com/keys); smartsplit --help lists all',
    })
  }
  return checks
}

// Beyond loopback, anyone reaching the port could spend the provider keys: serve refuses to start there
// without an access key unless --insecure says so on purpose.
function checkAccess(config: Config, isInsecure: boolean): DoctorCheck | null {
  const { host, apiKeys } = config.server
  if (isLoopbackHost(host)) return null
  if (apiKeys.length > 0)
    return {
      status: 'ok',
      name: 'access',
      detail: `${host} is reachable from the network; access keys required`,
    }
  if (exposureProblem(host, false, isInsecure) === null) {
    return {
      status: 'warn',
      name: 'access',
      detail: `--insecure: ${host} is reachable from the network with no access key`,
      hint: 'anyone who reaches it can use your provider keys: set SMARTSPLIT_API_KEY unless the network is trusted',
    }
  }
  return {
    status: 'fail',
    name: 'access',
    detail: `${host} is reachable from the network and no access key is set: SmartSplit would refuse to start`,
    hint: 'set SMARTSPLIT_API_KEY (or "server": {"api_keys": […]}); clients send it as their API key; or --insecure',
  }
}

function render(checks: readonly DoctorCheck[]): string {
  const table = formatTable(
    [
      { header: '' },
      { header: 'check' },
      { header: 'latency', align: 'right' },
      { header: 'quota left' },
      { header: 'result' },
    ],
    checks.map((check) => ({
      cells: [SYMBOL[check.status], check.name, check.latency ?? '', check.quota ?? '', check.detail],
      ...(check.hint === undefined || check.status === 'ok' ? {} : { note: `→ ${check.hint}` }),
    })),
    // Results come last so a long one does not push the short columns apart; hints sit under them.
    { noteColumn: 4 },
  )
  const failed = checks.filter((c) => c.status === 'fail').length
  const warned = checks.filter((c) => c.status === 'warn').length
  const summary =
    failed === 0
      ? `All checks passed${warned === 0 ? '' : ` (${warned} warning${warned === 1 ? '' : 's'})`}.`
      : `${failed} problem${failed === 1 ? '' : 's'} found${warned === 0 ? '' : `, ${warned} warning${warned === 1 ? '' : 's'}`}.`
  return [`SmartSplit ${VERSION} doctor`, '', ...table, '', summary].join('\n')
}

/**
 * `smartsplit doctor`: is the configuration valid, does each key answer a one-token request (latency and
 * remaining quota from the rate-limit headers), is the data dir usable and the port free (or already
 * SmartSplit's)? Prints one table with a hint under each problem; exit code 1 when anything is broken.
 */
export async function runDoctor(overrides: ConfigOverrides, io: DoctorIo): Promise<DoctorResult> {
  const clock = io.clock ?? systemClock
  const loaded = checkConfig(overrides, io.sources)
  const config = 'status' in loaded ? null : loaded
  const checks: DoctorCheck[] = [config === null ? (loaded as DoctorCheck) : describeSource(config)]
  if (config === null) {
    checks.push({ status: 'skip', name: 'providers', detail: 'not checked: the configuration is invalid' })
  } else {
    const timeouts = {
      connectMs: Math.min(config.timeouts.connectMs, 10_000),
      firstByteMs: Math.min(config.timeouts.firstByteMs, 20_000),
      idleMs: Math.min(config.timeouts.idleMs, 20_000),
    }
    const dispatcher = new Agent({ connect: { timeout: timeouts.connectMs } })
    try {
      const adapters = createProbeAdapters(dispatcher, io.random ?? systemRandom)
      checks.push(...(await checkProviders(config, { adapters, clock, timeouts })))
      checks.push(...(await checkModelLists(config.providers, dispatcher, timeouts.firstByteMs)))
    } finally {
      await dispatcher.close()
    }
  }
  const home = io.sources.homeDir ?? homedir()
  const dataDir = config?.dataDir ?? overrides.dataDir ?? join(home, '.smartsplit')
  checks.push(
    config?.store === 'memory'
      ? { status: 'ok', name: 'data dir', detail: 'not used ("store": "memory")' }
      : checkDataDir(dataDir),
  )
  const host = config?.server.host ?? overrides.host ?? DEFAULTS.host
  const port = config?.server.port ?? overrides.port ?? DEFAULTS.port
  const accessKey = config?.server.apiKeys[0]
  checks.push(await checkPort({ host, port, ...(accessKey === undefined ? {} : { accessKey }) }))
  const access = config === null ? null : checkAccess(config, overrides.insecure === true)
  if (access !== null) checks.push(access)
  io.out(render(checks))
  return { exitCode: checks.some((c) => c.status === 'fail') ? 1 : 0, checks }
}
