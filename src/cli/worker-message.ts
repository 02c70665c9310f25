/** What a worker tells the primary, and the primary a worker. */
export type WorkerMessage =
  | { kind: 'listening'; url: string }
  | { kind: 'shutdown'; signal: string }
  | { kind: 'reload' }
  /** A scrape of /metrics reached a worker: every worker's Prometheus figures, summed, please. */
  | { kind: 'prometheus'; id: number }
  /** The summed figures; null when they could not be gathered. */
  | { kind: 'prometheus-text'; id: number; text: string | null }

const MESSAGE_KINDS: ReadonlySet<unknown> = new Set([
  'listening',
  'shutdown',
  'reload',
  'prometheus',
  'prometheus-text',
])

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return MESSAGE_KINDS.has((value as { kind?: unknown } | null)?.kind)
}
