import { failedAttempts } from './failed-attempts.js'
import type { RequestRecord, ServedShare, TimelineBucket } from './types.js'

/** The memory store's timeline: what the SQLite store's GROUP BY computes, over the requests it keeps. */
/** A bucket of the request timeline with nothing in it. */
export function emptyTimelineBucket(startMs: number): TimelineBucket {
  return { startMs, requests: 0, errors: 0, failovers: 0, tokensIn: 0, tokensOut: 0, paid: 0, savedUsd: 0 }
}

export function summarizeTimeline(
  records: readonly RequestRecord[],
  sinceMs: number,
  bucketMs: number,
): TimelineBucket[] {
  const size = Math.max(1, Math.floor(bucketMs))
  const buckets = new Map<number, TimelineBucket>()
  for (const record of records) {
    if (record.timeMs < sinceMs) continue
    const startMs = Math.floor(record.timeMs / size) * size
    let bucket = buckets.get(startMs)
    if (bucket === undefined) {
      bucket = emptyTimelineBucket(startMs)
      buckets.set(startMs, bucket)
    }
    bucket.requests += 1
    if (record.outcome !== 'ok') bucket.errors += 1
    else if (failedAttempts(record.attempts) > 0) bucket.failovers += 1
    bucket.tokensIn += record.tokensIn
    bucket.tokensOut += record.tokensOut
    if (record.costUsd > 0) bucket.paid += 1
    bucket.savedUsd += record.savedUsd
  }
  return [...buckets.values()].sort((a, b) => a.startMs - b.startMs)
}

/** The memory store's served shares, as the SQLite store groups them. */
export function summarizeShares(records: readonly RequestRecord[], sinceMs: number): ServedShare[] {
  const shares = new Map<string, ServedShare>()
  for (const record of records) {
    if (record.timeMs < sinceMs) continue
    const task = record.tasks[0] ?? 'general'
    const isSplit = record.tasks.length > 1
    const key = JSON.stringify([task, record.provider, record.model, record.route, isSplit])
    const share = shares.get(key)
    if (share === undefined)
      shares.set(key, {
        task,
        provider: record.provider,
        model: record.model,
        route: record.route,
        isSplit,
        requests: 1,
      })
    else share.requests += 1
  }
  return [...shares.values()]
}
