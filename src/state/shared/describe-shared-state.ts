import type { SharedStatus } from './state-sync.js'

/** The line /health shows for where quotas, breakers and learning live. */
export function describeSharedState(status: SharedStatus | null): string {
  if (status === null) return 'local'
  if (status.mode === 'redis') {
    const instances =
      status.instances === null ? '' : `, ${status.instances} instance${status.instances === 1 ? '' : 's'}`
    return `redis (${status.address}${instances})`
  }
  if (status.unreachableSinceMs === null) return `local (connecting to ${status.address})`
  const since = new Date(status.unreachableSinceMs).toISOString()
  return `local (redis unreachable since ${since}; ${status.pendingChanges} changes waiting)`
}
