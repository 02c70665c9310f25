import type { Command } from 'commander'
import { type ConfigOverrides, type ConfigSources, DEFAULTS, loadConfig } from '../config/load-config.js'
import type { Config } from '../config/types.js'
import { VERSION } from '../version.js'
import {
  buildProviderView,
  type FigureView,
  type LiveHealth,
  type ModelView,
  type ProviderView,
} from './build-provider-views.js'
import { formatTable } from './format-table.js'

export interface ProvidersOverrides extends ConfigOverrides {
  json?: boolean
}

export interface ProvidersIo {
  sources: ConfigSources
  out: (text: string) => void
}

/**
 * The `state` of a SmartSplit already running on the configured host and port (GET /health with its
 * access key), for live remaining capacity; null when none answers within a second.
 */
async function readLiveHealth(config: Config): Promise<LiveHealth | null> {
  const { host, port, apiKeys } = config.server
  if (port === 0) return null
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  const url = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/health`
  try {
    const headers: Record<string, string> =
      apiKeys[0] === undefined ? {} : { authorization: `Bearer ${apiKeys[0]}` }
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(1_000) })
    const body = (await response.json()) as { state?: unknown }
    return response.ok && Array.isArray(body.state) ? (body.state as LiveHealth) : null
  } catch {
    return null
  }
}

const show = (figure: FigureView): string => {
  const value =
    figure.value === null
      ? '–'
      : figure.value === true
        ? 'yes'
        : figure.value === false
          ? 'no'
          : String(figure.value)
  return figure.from === 'assumed' ? `${value}*` : figure.from === 'config' ? `${value}†` : value
}

const MODEL_COLUMNS = [
  { header: 'model' },
  { header: 'role' },
  { header: 'status' },
  { header: 'RPM', align: 'right' as const },
  { header: 'RPD', align: 'right' as const },
  { header: 'TPM', align: 'right' as const },
  { header: 'TPD', align: 'right' as const },
  { header: 'context', align: 'right' as const },
  { header: 'output', align: 'right' as const },
  { header: 'tools/vision/json' },
]

const cell = (value: number | null): string => (value === null ? '–' : String(value))

/** One row per model: its figures and, with a server running, what each key has left. */
function modelRow(model: ModelView, hasLive: boolean): { cells: string[] } {
  const c = model.capabilities
  const left = (model.remaining ?? []).map(({ key, state, remaining: r }) => {
    const windows = [r.requestsMinute, r.requestsDay, r.tokensMinute, r.tokensDay].map(cell).join('/')
    return `${key}: ${state} ${windows}`
  })
  return {
    cells: [
      model.id,
      model.roles.join(','),
      model.status ?? '?',
      show(model.limits.rpm),
      show(model.limits.rpd),
      show(model.limits.tpm),
      show(model.limits.tpd),
      show(c.context_window),
      show(c.max_output_tokens),
      `${show(c.tools)}/${show(c.vision)}/${show(c.json_mode)}`,
      ...(hasLive ? [left.join('; ')] : []),
    ],
  }
}

function renderProvider(view: ProviderView, hasLive: boolean): string[] {
  const state = view.enabled ? 'enabled' : `off: ${view.disabledReason ?? 'disabled'}`
  const keys =
    view.keys.length === 0
      ? `none (${view.keyEnv === null ? 'keyless' : `set ${view.keyEnv}`}; get one at ${view.keyUrl})`
      : view.keys.map((key) => `${key.key} ${key.fingerprint ?? ''} → pool ${key.pool}`).join(', ')
  const columns = [...MODEL_COLUMNS, ...(hasLive ? [{ header: 'left now (RPM/RPD/TPM/TPD)' }] : [])]
  return [
    `${view.name} — ${view.displayName} [${show(view.tier)}, ${state}]`,
    `  limits per ${show(view.limitsPer)}, owned by the ${show(view.poolScope)}; key: ${view.keyUrl}`,
    `  keys: ${keys}`,
    `  capacity: ${view.capacity}`,
    ...formatTable(
      columns,
      view.models.map((model) => modelRow(model, hasLive)),
      { indent: 2 },
    ),
    '',
  ]
}

/**
 * `smartsplit providers`: each provider's models with their limits and capabilities (catalogue figures,
 * config corrections†, SmartSplit's assumptions*), where to get a key, the configured keys as
 * fingerprints with their quota pools, how to add capacity, and — when a SmartSplit is running on the
 * configured port — what is left right now. `--json` prints every figure with its as_of and source.
 */
export async function printProviders(overrides: ProvidersOverrides, io: ProvidersIo): Promise<void> {
  const config = loadConfig(overrides, io.sources)
  const live = await readLiveHealth(config)
  const views = config.providers
    .map((provider) => buildProviderView(provider, live))
    .sort((a, b) => Number(b.enabled) - Number(a.enabled))
  if (overrides.json === true) {
    io.out(JSON.stringify({ version: VERSION, live: live !== null, providers: views }, null, 2))
    return
  }
  const where = `${config.server.host}:${config.server.port}`
  const liveNote =
    live === null
      ? `No SmartSplit answered on ${where}: configured limits only (start it for live remaining capacity).`
      : `Live remaining capacity from the SmartSplit on ${where}.`
  io.out(
    [
      `SmartSplit ${VERSION} providers`,
      liveNote,
      'Figures come from the catalogue (as_of and source: --json); † from your config; * assumed, not published.',
      '',
      ...views.flatMap((view) => renderProvider(view, live !== null)),
    ].join('\n'),
  )
}

/** Adds `smartsplit providers [--json]` to the command line. */
export function addProvidersCommand(
  program: Command,
  run: (overrides: ProvidersOverrides) => Promise<void>,
): void {
  program
    .command('providers')
    .description(
      `each provider's models, limits, capabilities, where to get a key, your keys' quota pools and, with a server running on port ${DEFAULTS.port}, what is left now`,
    )
    .option('--json', 'print every figure with its as_of date and source, for scripts')
    .option('-c, --config <file>', 'config file')
    .option('--data-dir <dir>', 'data dir (its catalog.json overrides the built-in catalogue)')
    .option('-p, --port <port>', 'port of a running SmartSplit to read live capacity from', Number)
    .action(async (_options: Record<string, unknown>, command: Command) => {
      const options = command.optsWithGlobals()
      const overrides: ProvidersOverrides = {}
      if (typeof options.config === 'string') overrides.configPath = options.config
      if (typeof options.dataDir === 'string') overrides.dataDir = options.dataDir
      if (typeof options.port === 'number' && Number.isInteger(options.port)) overrides.port = options.port
      if (options.json === true) overrides.json = true
      await run(overrides)
    })
}
