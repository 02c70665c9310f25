import type { RequestFinished } from '../metrics/types.js'

const HOUR_MS = 3_600_000
/** Calls kept at most: a busy hour keeps its newest calls, and memory stays bounded. */
const MAX_CALLS = 20_000

interface Call {
  atMs: number
  provider: string
  model: string
  outcome: string
  latencyMs: number
}

/** The last hour of one provider's model: how fast it answered and how it failed. */
export interface ModelActivity {
  calls: number
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  /** Failed calls by class (rate_limit, server_error, timeout…), skipped and refused ones left out. */
  errors: Record<string, number>
}

const NOT_CALLED = new Set(['skipped'])

const percentile = (sorted: readonly number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

/** Every call of the last hour (bounded), fed by finished requests, for the dashboard's provider rows. */
export class AttemptWindow {
  #calls: Call[] = []
  #requests = 0

  /** Requests recorded so far: the dashboard's feed looks for new ones only when this moved. */
  get requestsSeen(): number {
    return this.#requests
  }

  record(event: RequestFinished): void {
    this.#requests += 1
    for (const attempt of event.attempts) {
      if (NOT_CALLED.has(attempt.outcome)) continue
      this.#calls.push({
        atMs: event.timeMs,
        provider: attempt.provider,
        model: attempt.model,
        outcome: attempt.outcome,
        latencyMs: attempt.latencyMs,
      })
    }
    if (this.#calls.length > MAX_CALLS * 1.5) this.#calls = this.#calls.slice(-MAX_CALLS)
  }

  /** Per "provider\u0000model", the calls since an hour before `nowMs`. */
  summary(nowMs: number): Map<string, ModelActivity> {
    const since = nowMs - HOUR_MS
    const firstKept = this.#calls.findIndex((call) => call.atMs >= since)
    this.#calls = firstKept === -1 ? [] : this.#calls.slice(firstKept)
    const grouped = new Map<string, { latencies: number[]; activity: ModelActivity }>()
    for (const call of this.#calls) {
      const key = `${call.provider}\u0000${call.model}`
      let entry = grouped.get(key)
      if (entry === undefined) {
        entry = { latencies: [], activity: { calls: 0, latencyP50Ms: null, latencyP95Ms: null, errors: {} } }
        grouped.set(key, entry)
      }
      entry.activity.calls += 1
      if (call.outcome === 'ok') entry.latencies.push(call.latencyMs)
      else if (call.outcome !== 'refused')
        entry.activity.errors[call.outcome] = (entry.activity.errors[call.outcome] ?? 0) + 1
    }
    const result = new Map<string, ModelActivity>()
    for (const [key, { latencies, activity }] of grouped) {
      latencies.sort((a, b) => a - b)
      const round = (value: number | null): number | null => (value === null ? null : Math.round(value))
      activity.latencyP50Ms = round(percentile(latencies, 50))
      activity.latencyP95Ms = round(percentile(latencies, 95))
      result.set(key, activity)
    }
    return result
  }
}
