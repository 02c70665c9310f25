import type { Clock } from '../lib/clock.js'

/** A model a provider answered "not found" or "decommissioned" for. */
export interface RetiredModel {
  provider: string
  model: string
  /** What the provider said (redacted, short). */
  reason: string
  sinceMs: number
  /** When SmartSplit tries the model again, in case it came back or the answer was a mistake. */
  recheckAtMs: number
}

/** A retired model is left alone this long, then tried again once. */
export const RETIRED_RECHECK_MS = 24 * 60 * 60_000

/**
 * Models each provider no longer serves, learned from its answers (404 model_not_found, 400
 * model_decommissioned, 410 Gone). Routing moves to the provider's next model meanwhile.
 */
export class RetiredModels {
  readonly #clock: Clock
  readonly #retired = new Map<string, RetiredModel>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Marks a model retired; true the first time (so the caller warns once), false while already retired. */
  retire(provider: string, model: string, reason: string): boolean {
    const isNew = this.find(provider, model) === null
    const sinceMs = this.#clock.nowMs()
    this.#retired.set(keyOf(provider, model), {
      provider,
      model,
      reason,
      sinceMs,
      recheckAtMs: sinceMs + RETIRED_RECHECK_MS,
    })
    return isNew
  }

  /** Another instance's finding, taken as it is; false when it was already known here. */
  adopt(retired: RetiredModel): boolean {
    const isNew = this.find(retired.provider, retired.model) === null
    if (this.#clock.nowMs() < retired.recheckAtMs)
      this.#retired.set(keyOf(retired.provider, retired.model), { ...retired })
    return isNew && this.#clock.nowMs() < retired.recheckAtMs
  }

  /** The model's retirement, or null when it is in service (or due for its recheck). */
  find(provider: string, model: string): RetiredModel | null {
    const found = this.#retired.get(keyOf(provider, model))
    if (found === undefined) return null
    if (this.#clock.nowMs() >= found.recheckAtMs) {
      this.#retired.delete(keyOf(provider, model))
      return null
    }
    return { ...found }
  }

  isRetired(provider: string, model: string): boolean {
    return this.find(provider, model) !== null
  }

  /** Every model still retired, for /health and `smartsplit doctor`. */
  list(): RetiredModel[] {
    return [...this.#retired.values()].filter((found) => this.find(found.provider, found.model) !== null)
  }
}

function keyOf(provider: string, model: string): string {
  return `${provider}\u0000${model}`
}
