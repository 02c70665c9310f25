import { AggregatorRegistry, type Registry } from 'prom-client'
import { isWorkerMessage, type WorkerMessage } from './worker-message.js'

/** Longer than prom-client's own 5 s wait for the workers, so the primary's answer wins when it has one. */
const PRIMARY_TIMEOUT_MS = 6_000

/**
 * GET /metrics in Prometheus text for a worker of `--workers`: a scrape reaches any one worker, so it
 * asks the primary, which gathers every worker's registry through prom-client's cluster support and
 * sums them (counters and histograms; the store's all-time gauges are read once). This worker's own
 * figures, marked as such, when the primary does not answer in time.
 */
export function workerPrometheus(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry])
  // Constructed for its side effect: in a worker it answers the primary's requests for these figures.
  const answersPrimary = new AggregatorRegistry()
  void answersPrimary
  const waiting = new Map<number, (text: string | null) => void>()
  let nextId = 0
  process.on('message', (message: unknown) => {
    if (!isWorkerMessage(message) || message.kind !== 'prometheus-text') return
    waiting.get(message.id)?.(message.text)
    waiting.delete(message.id)
  })
  const ownFigures = async (): Promise<string> =>
    `# smartsplit: this worker's figures only (the primary did not answer)\n${await registry.metrics()}`
  return () =>
    new Promise<string>((resolve) => {
      const id = nextId++
      const timer = setTimeout(() => {
        waiting.delete(id)
        resolve(ownFigures())
      }, PRIMARY_TIMEOUT_MS)
      waiting.set(id, (text) => {
        clearTimeout(timer)
        resolve(text ?? ownFigures())
      })
      process.send?.({ kind: 'prometheus', id } satisfies WorkerMessage)
    })
}
