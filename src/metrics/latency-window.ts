/** The last `size` observations, for percentiles without unbounded memory. */
export class LatencyWindow {
  readonly #values: number[] = []
  #next = 0
  readonly #size: number

  constructor(size = 1000) {
    this.#size = size
  }

  add(value: number): void {
    if (this.#values.length < this.#size) this.#values.push(value)
    else this.#values[this.#next] = value
    this.#next = (this.#next + 1) % this.#size
  }

  percentile(p: number): number | null {
    if (this.#values.length === 0) return null
    const sorted = [...this.#values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
  }
}
