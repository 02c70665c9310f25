import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readProcessTreeUsage, spawnChild } from '../lib/child-process.js'
import type { Target, UpstreamKind } from './target.js'

// SmartSplit as users run it: a config file naming the fake as a custom OpenAI-compatible provider,
// automatic routing (model "smartsplit"), default log level (info, one line per request, to a file).

export type ServerKind = 'dist' | 'tsx' | 'inprocess'

export interface SmartSplitOptions {
  root: string
  tmpDir: string
  /** The fake SmartSplit's one provider points at, and the certificate to trust over TLS. */
  upstream: { kind: UpstreamKind; baseUrl: string; caPath: string }
  server: ServerKind
  /** With server 'dist': run this built entry instead of dist/main.js (e.g. a patched build, for before/after). */
  entry?: string
  /** Shown instead of the work tree's version (when `entry` is a build of a git ref). */
  version?: string
  /** Write a V8 CPU profile of the child here when it stops. */
  cpuProfDir?: string
  /** Node options put before the entry, e.g. `--max-old-space-size=128`. Child-process modes only: ignored in-process. */
  nodeFlags?: string[]
  /** `quality_gates: false` in the config: the breakdown row. Users run the default (gates on). */
  gatesOff?: boolean
  /** State shared through this Redis (`state.redis_url`), under its own namespace. */
  sharedState?: { redisUrl: string; namespace: string }
  /** `--workers N` (needs `sharedState`). Child-process modes only. */
  workers?: number
}

function newestMtimeMs(dir: string, extension: '.ts' | '.js'): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(extension) || entry.name.endsWith(`.test${extension}`))
      continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/**
 * True when dist/main.js exists and dist/ was built after the last source change. The newest file of each
 * counts: `tsc -b` rewrites only the outputs whose sources changed, so main.js alone keeps an old date.
 */
export function distIsFresh(root: string): boolean {
  const main = join(root, 'dist', 'main.js')
  return (
    existsSync(main) && newestMtimeMs(join(root, 'dist'), '.js') >= newestMtimeMs(join(root, 'src'), '.ts')
  )
}

/**
 * `npm run build` (tsc to dist/, as `npm start` does). tsc still emits when other work in progress has
 * type errors, so the result counts when dist/ ends up fresh. Returns a note for the report, or null.
 */
export function buildDist(root: string): string | null {
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe', timeout: 300_000 })
    return null
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '').split('\n')[0]
    return distIsFresh(root)
      ? `npm run build reported type errors in src/ (${output}); the emitted dist/ was measured.`
      : `npm run build failed (${output})`
  }
}

export function smartSplitVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' })
    return `${pkg.version} (${commit}${dirty.trim().length > 0 ? ', uncommitted src changes' : ''})`
  } catch {
    return pkg.version
  }
}

/**
 * Builds a committed version (e.g. HEAD, while the work tree has edits in progress) into
 * $TMPDIR/smartsplit-bench-build-<commit>/ with `git archive` and tsc; returns its entry and commit. The
 * repository itself is only read.
 */
export function buildRef(root: string, ref: string): { entry: string; commit: string; dir: string } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: root, encoding: 'utf8' }).trim()
  // Outside the repository: tsconfig.json includes bench/, and these are a second copy of src/.
  const dir = join(tmpdir(), `smartsplit-bench-build-${commit}`)
  const entry = join(dir, 'dist', 'main.js')
  if (existsSync(entry)) return { entry, commit, dir }
  // Built in a directory of this process's own, then renamed: two runs measuring the same commit (two
  // sessions on one machine) must not write into one half-built copy.
  const building = `${dir}.building-${process.pid}`
  rmSync(building, { recursive: true, force: true })
  mkdirSync(building, { recursive: true })
  const files = 'src package.json tsconfig.json tsconfig.build.json'
  execFileSync('sh', ['-c', `git archive --format=tar ${commit} ${files} | tar -x -C "${building}"`], {
    cwd: root,
  })
  symlinkSync(join(root, 'node_modules'), join(building, 'node_modules'))
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: building, stdio: 'pipe' },
    )
  } catch (error) {
    if (!existsSync(join(building, 'dist', 'main.js')))
      throw new Error(`could not build ${ref}: ${String((error as { stdout?: Buffer }).stdout)}`)
  }
  if (existsSync(entry))
    rmSync(building, { recursive: true, force: true }) // another run finished first
  else {
    rmSync(dir, { recursive: true, force: true }) // what an interrupted run left
    renameSync(building, dir)
  }
  return { entry, commit, dir }
}

function writeConfig(options: SmartSplitOptions): string {
  const path = join(options.tmpDir, 'smartsplit.json')
  const config = {
    mode: 'balanced',
    free_llm_priority: ['benchfake'],
    providers: {
      benchfake: { base_url: options.upstream.baseUrl, model: 'bench-model', api_key: 'bench-key' },
    },
    server: { host: '127.0.0.1', port: 0, max_concurrent_per_client: 0 },
    // Everything else is the default users run: quality gates on, the SQLite store, info logging.
    ...(options.gatesOff === true ? { quality_gates: false } : {}),
    ...(options.sharedState === undefined
      ? {}
      : {
          state: {
            redis_url: options.sharedState.redisUrl,
            redis_namespace: options.sharedState.namespace,
          },
        }),
  }
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

export async function startSmartSplitTarget(options: SmartSplitOptions): Promise<Target> {
  const configPath = writeConfig(options)
  const version = options.version ?? smartSplitVersion(options.root)
  const common = {
    name: options.gatesOff === true ? ('smartsplit-gates-off' as const) : ('smartsplit' as const),
    upstream: options.upstream.kind,
    version,
    headers: { authorization: 'Bearer any' },
    model: 'smartsplit',
  }
  if (options.server === 'inprocess') return startInProcess(options, configPath, common)

  const entry =
    options.server === 'dist' ? [options.entry ?? 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts']
  const profile =
    options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`]
  const nodeFlags = options.nodeFlags ?? []
  const child = await spawnChild(
    process.execPath,
    [
      ...nodeFlags,
      ...profile,
      ...entry,
      '--config',
      configPath,
      '--data-dir',
      options.tmpDir,
      ...(options.workers === undefined ? [] : ['--workers', String(options.workers)]),
    ],
    {
      cwd: options.root,
      // No provider keys from this machine's environment may leak in: only the fake is configured. The
      // run's certificate joins Node's trusted roots (what an operator does for a private CA): certificate
      // checks stay on, and SmartSplit's own dispatcher is the one measured.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.tmpDir,
        NODE_ENV: 'production',
        NODE_EXTRA_CA_CERTS: options.upstream.caPath,
      },
      readyPattern: /listening on (http:\/\/\S+?)\/v1/,
      stderrFile: join(options.tmpDir, 'smartsplit.log'),
    },
  )
  const url = child.ready[1]!
  return {
    ...common,
    label: `SmartSplit ${version} (${['node', ...nodeFlags].join(' ')} ${options.server === 'dist' ? (options.entry ?? 'dist/main.js') : '--import tsx src/main.ts'}${options.workers === undefined ? '' : ` --workers ${options.workers}`}, own process${options.gatesOff === true ? ', quality_gates: false' : ', default configuration'}${options.sharedState === undefined ? '' : ', state on Redis'})`,
    url: `${url}/v1/chat/completions`,
    // With workers, the primary only forks and watches them: their CPU and memory are the target's.
    usage: () => (options.workers === undefined ? child.usage() : readProcessTreeUsage(child.pid)),
    stop: () => child.stop(),
  }
}

async function startInProcess(
  options: SmartSplitOptions,
  configPath: string,
  common: Pick<Target, 'name' | 'upstream' | 'version' | 'headers' | 'model'>,
): Promise<Target> {
  // Imported lazily so the child-process modes never load the sources into the benchmark's own process.
  const { createApp } = await import('../../src/app.js')
  const { loadConfig } = await import('../../src/config/load-config.js')
  const { systemClock } = await import('../../src/lib/clock.js')
  const { systemRandom } = await import('../../src/lib/random.js')
  const { pino } = await import('pino')
  const config = loadConfig(
    { configPath, dataDir: options.tmpDir },
    { env: {}, cwd: options.tmpDir, homeDir: options.tmpDir },
  )
  const logger = pino(
    { level: config.logLevel, base: null },
    pino.destination(join(options.tmpDir, 'smartsplit.log')),
  )
  const app = createApp(config, { clock: systemClock, random: systemRandom, logger })
  const url = await app.listen()
  return {
    ...common,
    label: `SmartSplit ${options.server} (createApp in the load generator's process)`,
    url: `${url}/v1/chat/completions`,
    // The process also runs the load generator: its figures are not SmartSplit's alone.
    usage: () => ({
      rssBytes: process.memoryUsage.rss(),
      cpuMs: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000,
    }),
    stop: () => app.close(),
  }
}
