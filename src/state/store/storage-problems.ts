/** Warnings of one kind are repeated at most this often while the problem lasts. */
const WARN_EVERY_MS = 60_000

/** The kind of a storage error: SQLite's code (SQLITE_FULL, SQLITE_IOERR_WRITE…) or Node's (EACCES). */
function kindOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'UNKNOWN'
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const kind = kindOf(error)
  return kind === 'UNKNOWN' || message.startsWith(kind) ? message : `${kind}: ${message}`
}

/**
 * The store's write failures as its health and as warnings: logged once per kind per minute (a full disk
 * fails every write, and a log line per second would fill what little space is left), cleared by the
 * first write that succeeds.
 */
export class StorageProblems {
  readonly #nowMs: () => number
  readonly #warn: (message: string) => void
  readonly #lastWarnedMs = new Map<string, number>()
  #problem: string | null = null

  constructor(nowMs: () => number, warn: (message: string) => void) {
    this.#nowMs = nowMs
    this.#warn = warn
  }

  get problem(): string | null {
    return this.#problem
  }

  failed(error: unknown, pendingWrites: number): void {
    const kind = kindOf(error)
    this.#problem = `writes to the data dir fail (${describe(error)}); SmartSplit keeps serving and retries them. Free disk space or fix the data dir's permissions.`
    const nowMs = this.#nowMs()
    const lastMs = this.#lastWarnedMs.get(kind)
    if (lastMs !== undefined && nowMs - lastMs < WARN_EVERY_MS) return
    this.#lastWarnedMs.set(kind, nowMs)
    this.#warn(
      `storage write failed (${describe(error)}); ${pendingWrites} writes kept for retry, serving continues`,
    )
  }

  succeeded(): void {
    if (this.#problem === null) return
    this.#problem = null
    this.#lastWarnedMs.clear()
    this.#warn('storage writes succeed again; the writes kept for retry are saved')
  }
}
