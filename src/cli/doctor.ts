import { homedir } from 'node:os'
import { join } from 'node:path'
import { Agent } from 'undici'
import { ConfigError } from '../config/config-error.js'
import { type ConfigOverrides, type ConfigSources, DEFAULTS, loadConfig } from '../config/load-config.js'
import type { DotenvSummary } from '../config/read-dotenv.js'
import type { Config } from '../config/types.js'
import { exposureProblem, isLoopbackHost } from '../http/security/loopback.js'
import { type Clock, systemClock } from '../lib/clock.js'
import { type Random, systemRandom } from '../lib/random.js'
import { VERSION } from '../version.js'
import { checkDataDir } from './check-data-dir.js'
import { checkModelLists } from './check-model-lists.js'
import { checkPort } from './check-port.js'
import { checkProviders } from './check-providers.js'
import { checkSharedState } from './check-shared-state.js'
import type { DoctorCheck } from './doctor-check.js'
import { formatTable } from './format-table.js'
import { createProbeAdapters } from './probe-provider.js'
import { webSearchStatus } from './web-search-status.js'

export interface DoctorIo {
  sources: ConfigSources
  /** What `.env` in the working directory contributed; null or absent without one. */
  dotenv?: DotenvSummary | null
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
        detail:
          'no file: defaults + environment (looked at --config, $SMARTSPLIT_CONFIG, ./smartsplit.json, ~/.config/smartsplit/config.json)',
      }
    : { status: 'ok', name: 'config', detail: `${config.source} is valid` }
}

function describeDotenv(dotenv: DotenvSummary): DoctorCheck {
  const names = dotenv.read.length === 0 ? 'nothing new' : dotenv.read.join(', ')
  const kept =
    dotenv.kept.length === 0 ? '' : `; already set, kept from the environment: ${dotenv.kept.join(', ')}`
  return { status: 'ok', name: '.env', detail: `${dotenv.path}: read ${names}${kept}` }
}

function describeWebSearch(config: Config): DoctorCheck {
  const status = webSearchStatus(config.search)
  return config.search.length > 0
    ? { status: 'ok', name: 'web search', detail: status }
    : { status: 'skip', name: 'web search', detail: status }
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
 * remaining quota from the rate-limit headers), does the shared state's Redis answer (when one is set),
 * is the data dir usable and the port free (or already SmartSplit's)? Prints one table with a hint under each problem; exit code 1 when anything is broken.
 */
export async function runDoctor(overrides: ConfigOverrides, io: DoctorIo): Promise<DoctorResult> {
  const clock = io.clock ?? systemClock
  const loaded = checkConfig(overrides, io.sources)
  const config = 'status' in loaded ? null : loaded
  const checks: DoctorCheck[] = [config === null ? (loaded as DoctorCheck) : describeSource(config)]
  if (io.dotenv != null) checks.push(describeDotenv(io.dotenv))
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
    checks.push(describeWebSearch(config))
    checks.push(await checkSharedState(config.sharedState, { nowMs: () => clock.nowMs() }))
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
