/** Time as a dependency: breakers, rate limits and ids read it through this so tests can move it. */
export interface Clock {
  nowMs(): number
}

export const systemClock: Clock = { nowMs: () => Date.now() }

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  #nowMs: number
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#nowMs = startMs
  }
  nowMs(): number {
    return this.#nowMs
  }
  advance(ms: number): void {
    this.#nowMs += ms
  }
}
