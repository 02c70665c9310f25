import type { ArmRecord, DailySavings, RequestRecord, Store, UsageDelta, UsageRow } from './types.js'

const dayOf = (timeMs: number): string => new Date(timeMs).toISOString().slice(0, 10)

/** Everything in memory: for tests and for running without a data dir. */
export class MemoryStore implements Store {
  readonly #requests: RequestRecord[] = []
  readonly #usage = new Map<string, UsageRow>()
  #arms: ArmRecord[] = []

  recordRequest(record: RequestRecord): void {
    this.#requests.push(record)
  }

  addUsage(delta: UsageDelta): void {
    const key = `${delta.day}|${delta.provider}|${delta.model}|${delta.keyIndex}`
    const row = this.#usage.get(key)
    if (row === undefined) this.#usage.set(key, { ...delta })
    else {
      row.requests += delta.requests
      row.tokensIn += delta.tokensIn
      row.tokensOut += delta.tokensOut
    }
  }

  saveArms(arms: readonly ArmRecord[]): void {
    this.#arms = arms.map((arm) => ({ ...arm }))
  }

  loadUsage(day: string): UsageRow[] {
    return [...this.#usage.values()].filter((row) => row.day === day).map((row) => ({ ...row }))
  }

  loadArms(): ArmRecord[] {
    return this.#arms.map((arm) => ({ ...arm }))
  }

  dailySavings(sinceDay: string): DailySavings[] {
    const byDay = new Map<string, DailySavings>()
    for (const record of this.#requests) {
      const day = dayOf(record.timeMs)
      if (day < sinceDay) continue
      const row = byDay.get(day) ?? {
        day,
        requests: 0,
        freeTokensIn: 0,
        freeTokensOut: 0,
        costUsd: 0,
        savedUsd: 0,
      }
      row.requests += 1
      if (record.costUsd === 0) {
        row.freeTokensIn += record.tokensIn
        row.freeTokensOut += record.tokensOut
      }
      row.costUsd += record.costUsd
      row.savedUsd += record.savedUsd
      byDay.set(day, row)
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day))
  }

  recentRequests(limit: number): RequestRecord[] {
    return this.#requests.slice(-limit).reverse()
  }

  readonly #documents = new Map<string, string>()

  saveDocument(key: string, value: unknown): void {
    this.#documents.set(key, JSON.stringify(value))
  }

  loadDocument(key: string): unknown {
    const text = this.#documents.get(key)
    return text === undefined ? null : JSON.parse(text)
  }

  flush(): void {}

  close(): void {}
}
