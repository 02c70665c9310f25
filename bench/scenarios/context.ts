import type { FakeProcess, Target } from '../targets/target.js'

/** What every scenario gets from the runner. */
export interface BenchContext {
  root: string
  /** Where the measured version's src/ lives: the work tree, or the extracted build of --ref. */
  sourceRoot: string
  smoke: boolean
  rounds: number
  /** Seconds per autocannon measurement. */
  durationSec: number
  memoryRequests: number
  fake: FakeProcess
  /**
   * Proxies reaching the fake over plain HTTP: direct first, then the bare pass-through (floor), SmartSplit
   * with the defaults, SmartSplit with the quality gates off (breakdown), and the peer when installed.
   */
  targets: Target[]
  /** The same proxies reaching the fake over TLS (direct stays plain HTTP: the TLS hop is the proxy's cost); empty when not measured. */
  tlsTargets: Target[]
  /** Overhead shapes to run (cell ids); all when absent. */
  cells?: ReadonlySet<string>
  /**
   * A SmartSplit that has served nothing yet (memory baseline). `nodeFlags` go before the entry in its
   * node command line (ignored with --server inprocess, where there is no process of its own).
   */
  startFreshSmartSplit(nodeFlags?: string[]): Promise<Target>
  /** A SmartSplit (own process) whose state is shared through `redisUrl`, with `workers` processes. */
  startSharedSmartSplit(shared: { redisUrl: string; namespace: string; workers?: number }): Promise<Target>
  /** False with --server inprocess: node flags cannot be applied to SmartSplit alone. */
  ownProcess: boolean
  log(line: string): void
}

/** Round r starts with a different target, so no target always runs first (or right after another). */
export function rotate<T>(items: readonly T[], r: number): T[] {
  const k = r % items.length
  return [...items.slice(k), ...items.slice(0, k)]
}

export interface Skipped {
  skipped: true
  note: string
}
