// `npm run bench` → tsx bench/run.ts: starts the fake upstream, SmartSplit and the peer gateway as
// separate processes, runs every scenario, prints pass/miss per target, writes BENCHMARKS.md (between
// the bench markers only) and bench/results/latest.json. `--smoke` runs everything for a moment, for CI:
// no peer install, nothing written outside bench/results/tmp. `--help` lists the flags.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { keepAliveAgent, timedRequest } from './load/stream-client.js'
import { renderMarkdown } from './report/render-markdown.js'
import type { BenchResults, Environment } from './report/types.js'
import { computeVerdicts } from './report/verdicts.js'
import { writeBenchSection } from './report/write-section.js'
import { runAffinity } from './scenarios/affinity.js'
import { runAnalyzer } from './scenarios/analyzer.js'
import type { BenchContext, Skipped } from './scenarios/context.js'
import { runFidelity } from './scenarios/fidelity.js'
import { runFreeTier } from './scenarios/free-tier.js'
import { runFreeTierPools } from './scenarios/free-tier-pools.js'
import { runHoldBack } from './scenarios/hold-back.js'
import { runLearning } from './scenarios/learning.js'
import { runMemory } from './scenarios/memory.js'
import { runMultiPart } from './scenarios/multipart.js'
import { runOverhead } from './scenarios/overhead.js'
import { runRouting } from './scenarios/routing.js'
import { runSharedState } from './scenarios/shared-state.js'
import { runTtft } from './scenarios/ttft.js'
import { startPassthroughTarget } from './targets/passthrough.js'
import { ensurePortkey, startPortkeyTarget } from './targets/portkey.js'
import {
  buildDist,
  buildRef,
  distIsFresh,
  type ServerKind,
  smartSplitVersion,
  startSmartSplitTarget,
} from './targets/smartsplit.js'
import { startFakeProcess, type Target, type UpstreamKind } from './targets/target.js'

const SCENARIOS = [
  'analyzer',
  'overhead',
  'ttft',
  'fidelity',
  'memory',
  'multipart',
  'free-tier',
  'free-tier-pools',
  'learning',
  'hold-back',
  'routing',
  'affinity',
  'shared-state',
] as const
const HELP = `usage: tsx bench/run.ts [options]
  --smoke              every scenario for a moment (CI); no peer install, writes only bench/results/tmp
  --requests N         requests in the memory scenario (default 100000)
  --rounds N           rounds per figure (default 5)
  --duration S         seconds per autocannon measurement (default 3)
  --only a,b           scenarios to run: ${SCENARIOS.join(', ')}
  --cells a,b          overhead and shared-state shapes to run (ids such as json-c50-50ms or
                       tls-stream-c1-0ms; default all)
  --no-peer            do not install or run the Portkey gateway
  --no-floor           do not measure the bare node:http pass-through
  --no-tls             do not measure the proxies reaching the fake over TLS
  --no-gates-off       do not measure SmartSplit with quality_gates: false (the breakdown row)
  --server KIND        dist (npm run build, then node dist/main.js; the default) | tsx (node --import tsx
                       src/main.ts; the default with --smoke) | inprocess (createApp in this process)
  --no-build           with --server dist, measure dist/ as it is
  --entry FILE         with --server dist, run this built entry instead of dist/main.js (before/after)
  --ref REF            measure a committed version (git archive + tsc into $TMPDIR), e.g. HEAD
  --profile            write V8 CPU profiles of SmartSplit to bench/results/tmp/<run>/profiles
  --no-write           do not touch BENCHMARKS.md or bench/results/latest.json`

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    requests: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    cells: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    server: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'no-tls': { type: 'boolean', default: false },
    'no-gates-off': { type: 'boolean', default: false },
    entry: { type: 'string' },
    ref: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  process.stdout.write(`${HELP}\n`)
  process.exit(0)
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const smoke = args.smoke
const only = new Set(args.only?.split(',') ?? SCENARIOS)
let server = (args.server ?? (smoke ? 'tsx' : 'dist')) as ServerKind
if (!['dist', 'tsx', 'inprocess'].includes(server)) throw new Error('--server must be dist, tsx or inprocess')
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const tmpDir = join(root, 'bench', 'results', 'tmp', `${smoke ? 'smoke' : 'run'}-${stamp}`)
mkdirSync(tmpDir, { recursive: true })
const log = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const notes: string[] = []
const stoppers: (() => Promise<void>)[] = []
let freshCount = 0

const skipped = (note: string): Skipped => ({ skipped: true, note })

/** One JSON and one streamed request: a target that cannot answer both is left out, with a note. */
async function answers(target: Target): Promise<string | null> {
  const agent = keepAliveAgent(1)
  try {
    for (const stream of [false, true]) {
      const timing = await timedRequest(target, agent, { stream })
      if (timing.status !== 200) return `${stream ? 'streamed' : 'JSON'} request answered ${timing.status}`
      if (stream && timing.frameTimesMs.length === 0) return 'stream carried no content'
    }
    return null
  } catch (error) {
    return (error as Error).message
  } finally {
    agent.destroy()
  }
}

let entry = args.entry === undefined ? undefined : resolve(args.entry)
let version: string | undefined
let sourceRoot = root

async function main(): Promise<void> {
  if (args.ref !== undefined) {
    log(`building ${args.ref} …`)
    const built = buildRef(root, args.ref)
    entry = built.entry
    sourceRoot = built.dir
    version = `${smartSplitVersion(root).split(' ')[0]} (commit ${built.commit})`
    server = 'dist'
  }
  if (server === 'dist' && !args['no-build'] && entry === undefined) {
    log('npm run build …')
    const problem = buildDist(root)
    if (problem !== null) notes.push(problem)
  }
  if (server === 'dist' && entry === undefined && !distIsFresh(root)) {
    notes.push('dist/ was missing or older than src/: SmartSplit ran from the sources through tsx instead.')
    server = 'tsx'
  }
  log(
    `SmartSplit bench${smoke ? ' (smoke)' : ''}: ${cpus().length} cores, Node ${process.version}, SmartSplit via ${server}`,
  )
  log(`  scratch: ${tmpDir}`)
  const fake = await startFakeProcess(root, tmpDir)
  stoppers.push(() => fake.stop())
  const profileDir = args.profile ? join(tmpDir, 'profiles') : undefined
  const upstreams = {
    http: { kind: 'http' as const, baseUrl: fake.baseUrl, caPath: fake.caPath },
    tls: { kind: 'tls' as const, baseUrl: fake.tlsBaseUrl, caPath: fake.caPath },
  }
  const startSmart = (
    dir: string,
    options: {
      nodeFlags?: string[]
      upstream?: UpstreamKind
      gatesOff?: boolean
      sharedState?: { redisUrl: string; namespace: string }
      workers?: number
    } = {},
  ): Promise<Target> => {
    mkdirSync(dir, { recursive: true })
    return startSmartSplitTarget({
      root,
      tmpDir: dir,
      upstream: upstreams[options.upstream ?? 'http'],
      server,
      ...(entry === undefined ? {} : { entry }),
      ...(version === undefined ? {} : { version }),
      ...(profileDir === undefined ? {} : { cpuProfDir: profileDir }),
      ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
      ...(options.gatesOff === true ? { gatesOff: true } : {}),
      ...(options.sharedState === undefined ? {} : { sharedState: options.sharedState }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    })
  }
  const started = async (target: Promise<Target>): Promise<Target> => {
    const running = await target
    stoppers.push(() => running.stop())
    return running
  }
  const targets: Target[] = [fake.direct, await started(startSmart(join(tmpDir, 'smartsplit')))]
  const withGatesOff = !args['no-gates-off'] && !smoke
  if (withGatesOff)
    targets.push(await started(startSmart(join(tmpDir, 'smartsplit-gates-off'), { gatesOff: true })))
  // TLS needs SmartSplit in its own process: the certificate is trusted from its start.
  const withTls = !args['no-tls'] && server !== 'inprocess'
  if (!withTls && server === 'inprocess') notes.push('Over TLS not measured: --server inprocess.')
  const tlsTargets: Target[] = withTls
    ? [fake.direct, await started(startSmart(join(tmpDir, 'smartsplit-tls'), { upstream: 'tls' }))]
    : []
  if (!args['no-floor'] && !smoke) {
    targets.splice(1, 0, await started(startPassthroughTarget(root, upstreams.http, tmpDir)))
    if (withTls) tlsTargets.splice(1, 0, await started(startPassthroughTarget(root, upstreams.tls, tmpDir)))
  }

  const wantsLoad = ['overhead', 'ttft', 'fidelity'].some((s) => only.has(s))
  if (smoke) notes.push('Smoke run: the peer gateway is not installed and figures are not meaningful.')
  else if (args['no-peer']) notes.push('Peer gateway skipped (--no-peer).')
  else if (wantsLoad) {
    try {
      const dir = await ensurePortkey(root, log)
      targets.push(await started(startPortkeyTarget(dir, upstreams.http, tmpDir)))
      if (withTls) tlsTargets.push(await started(startPortkeyTarget(dir, upstreams.tls, tmpDir)))
    } catch (error) {
      notes.push(
        `Portkey gateway skipped: it could not be installed or started (${(error as Error).message.split('\n')[0]}).`,
      )
    }
  }
  for (const list of [targets, tlsTargets]) {
    for (const target of [...list]) {
      const problem = await answers(target)
      if (problem === null) continue
      const which = `${target.name} (upstream over ${target.upstream})`
      if (target.name !== 'portkey') throw new Error(`${which} does not answer: ${problem}`)
      notes.push(`Portkey gateway over ${target.upstream} left out: ${problem}.`)
      list.splice(list.indexOf(target), 1)
    }
  }
  if (server === 'inprocess')
    notes.push(
      "SmartSplit ran inside the load generator's process (--server inprocess): both share one event loop, so its figures include the load generator's work.",
    )

  const ctx: BenchContext = {
    root,
    sourceRoot,
    smoke,
    rounds: smoke ? 1 : Number(args.rounds ?? 5),
    durationSec: smoke ? 0.2 : Number(args.duration ?? 3),
    memoryRequests: Number(args.requests ?? (smoke ? 300 : 100_000)),
    fake,
    targets,
    tlsTargets,
    ...(args.cells === undefined ? {} : { cells: new Set(args.cells.split(',')) }),
    startFreshSmartSplit: (nodeFlags) =>
      startSmart(
        join(tmpDir, `smartsplit-fresh-${++freshCount}`),
        nodeFlags === undefined ? {} : { nodeFlags },
      ),
    startSharedSmartSplit: ({ workers, ...sharedState }) =>
      startSmart(join(tmpDir, `smartsplit-shared-${++freshCount}`), {
        sharedState,
        ...(workers === undefined ? {} : { workers }),
      }),
    ownProcess: server !== 'inprocess',
    log,
  }
  const phase = async <T>(name: (typeof SCENARIOS)[number], run: () => Promise<T>): Promise<T | Skipped> => {
    if (!only.has(name)) return skipped('not selected (--only)')
    log(`${name} …`)
    return run()
  }
  const analyzer = await phase('analyzer', () => runAnalyzer(ctx))
  const overhead = await phase('overhead', () => runOverhead(ctx))
  const ttft = await phase('ttft', () => runTtft(ctx))
  const fidelity = await phase('fidelity', () => runFidelity(ctx))
  // Memory gets the machine to itself: the shared SmartSplits, the floors and the peers are stopped first.
  for (const target of [...targets, ...tlsTargets]) if (target.name !== 'direct') await target.stop()
  const memory = await phase('memory', () => runMemory(ctx))
  const multiPart = await phase('multipart', () => runMultiPart(ctx))
  // Reliability and learning run in this process on a ManualClock (or a simulation): no target needed.
  const freeTier = await phase('free-tier', () => runFreeTier(ctx))
  const freeTierPools = await phase('free-tier-pools', () => runFreeTierPools(ctx))
  const learning = await phase('learning', () => runLearning(ctx))
  const holdBack = await phase('hold-back', () => runHoldBack(ctx))
  const routing = await phase('routing', () => runRouting(ctx))
  const affinity = await phase('affinity', () => runAffinity(ctx))
  const sharedState = await phase('shared-state', () => runSharedState(ctx))

  const directCell = Array.isArray(overhead)
    ? overhead.find((c) => c.spec.id === 'json-c50-0ms')?.figures.find((x) => x.target === 'direct')
    : undefined
  const environment: Environment = {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg(),
    smoke,
    rounds: ctx.rounds,
    durationSec: ctx.durationSec,
    server,
    compared: [...targets, ...tlsTargets.filter((t) => t.name !== 'direct')].map((t) => ({
      name: t.upstream === 'tls' && t.name !== 'direct' ? `${t.name} (TLS)` : t.name,
      version: t.version,
      label: t.label,
    })),
    notes,
  }
  const partial = {
    environment,
    overhead,
    ttft,
    fidelity,
    memory,
    analyzer,
    multiPart,
    freeTier,
    freeTierPools,
    learning,
    holdBack,
    routing,
    affinity,
    sharedState,
    fakeUpstream:
      directCell === undefined
        ? null
        : {
            directJsonReqPerSec: directCell.reqPerSec.median,
            fakeCpuMsPerRequest: directCell.cpuMsPerRequest.median,
          },
  }
  const results: BenchResults = { ...partial, verdicts: computeVerdicts(partial) }

  log('\ntargets:')
  for (const v of results.verdicts) log(`  ${v.status.padEnd(4)}  ${v.target}: ${v.measured}`)
  const json = `${JSON.stringify(results, null, 2)}\n`
  if (smoke || args['no-write']) {
    writeFileSync(join(tmpDir, 'results.json'), json)
    log(`\nresults: ${join(tmpDir, 'results.json')} (BENCHMARKS.md untouched)`)
  } else {
    writeFileSync(join(root, 'bench', 'results', 'latest.json'), json)
    writeBenchSection(join(root, 'BENCHMARKS.md'), renderMarkdown(results))
    log('\nwrote BENCHMARKS.md (bench section) and bench/results/latest.json')
  }
}

async function stopAll(): Promise<void> {
  for (const stop of stoppers.reverse()) await stop().catch(() => {})
}

process.once('SIGINT', () => {
  void stopAll().then(() => process.exit(130))
})
try {
  await main()
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`)
  process.exitCode = 1
} finally {
  await stopAll()
}
