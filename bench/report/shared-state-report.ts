import type { Spread } from '../lib/stats.js'
import { GOALS, type SharedStateFigures } from '../scenarios/shared-state.js'
import type { Verdict } from './types.js'

// Issue 21's targets for several instances, and their table: a second worker's throughput, and what the
// Redis-backed path adds to a request over in-memory state.

const f = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '—')
const s = (value: Spread | null, digits = 2): string =>
  value === null ? '—' : `${f(value.median, digits)} [${f(value.min, digits)}–${f(value.max, digits)}]`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`

export function sharedStateVerdicts(figures: SharedStateFigures): Verdict[] {
  const status = (ok: boolean, value: number): Verdict['status'] =>
    !Number.isFinite(value) ? 'n/a' : ok ? 'pass' : 'miss'
  const speedup = figures.workersSpeedup.median
  const added = (connections: number, spread: Spread): Verdict => ({
    target: `shared state on Redis: added p50 ≤ ${GOALS.redisAddedP50Ms} ms over in-memory state (json, ${connections} connection${connections === 1 ? '' : 's'})`,
    measured: `${f(spread.median)} ms`,
    status: status(spread.median <= GOALS.redisAddedP50Ms, spread.median),
  })
  return [
    {
      target: `--workers 2: saturated throughput ≥ ${GOALS.workersSpeedup}× one worker's (json, 50 connections, state on Redis)`,
      measured: `${f(speedup)}×`,
      status: status(speedup >= GOALS.workersSpeedup, speedup),
    },
    added(1, figures.redisAddedP50Ms.c1),
    added(50, figures.redisAddedP50Ms.c50),
  ]
}

const SIDES = {
  memory: 'state in memory',
  redis: 'state on Redis',
  'redis-workers-2': 'state on Redis, --workers 2',
} as const

export function renderSharedState(figures: SharedStateFigures): string {
  const saturated = figures.cells.find((cell) => cell.id === 'json-c50-0ms')
  return [
    `Three SmartSplit processes with the default configuration (one provider: the fake), redis-server ${figures.redisVersion} on a loopback port; JSON requests; median [min–max] over rounds, added p50 paired per round against state in memory. CPU ms/req counts every SmartSplit process (both workers).`,
    '',
    row([
      'load',
      'SmartSplit',
      'req/s',
      'p50 ms',
      'p99 ms',
      'added p50 ms vs in memory',
      'CPU ms/req',
      'failures',
    ]),
    row(Array(8).fill('---')),
    ...figures.cells.flatMap((cell) =>
      cell.rows.map((r) =>
        row([
          cell.title,
          SIDES[r.side],
          s(r.reqPerSec, 0),
          s(r.p50Ms),
          s(r.p99Ms),
          s(r.addedP50Ms),
          s(r.cpuMsPerRequest, 3),
          String(r.failures),
        ]),
      ),
    ),
    '',
    `Saturated: --workers 2 serves ${s(figures.workersSpeedup)}× what one worker on Redis serves; one worker on Redis serves ${s(figures.redisThroughputVsMemory)}× what one in memory serves (paired per round).`,
    ...(saturated === undefined
      ? []
      : [
          '',
          'Where the 2 cores went while saturated (CPU seconds per second, medians over rounds):',
          '',
          row([
            'SmartSplit',
            'SmartSplit processes',
            'load generator',
            'fake upstream',
            'redis-server',
            'total',
          ]),
          row(Array(6).fill('---')),
          ...saturated.rows.map((r) => {
            const c = r.cores
            const total = c.smartsplit + c.loadGenerator + c.fake + (r.side === 'memory' ? 0 : c.redis)
            return row([
              SIDES[r.side],
              f(c.smartsplit),
              f(c.loadGenerator),
              f(c.fake),
              r.side === 'memory' ? '—' : f(c.redis),
              f(total),
            ])
          }),
        ]),
  ].join('\n')
}
