import type { DashboardSnapshot, RequestView } from './types.js'

/** Requests kept in the page; older ones are in `smartsplit logs`. */
const KEPT_REQUESTS = 1000

/** The page's copy of the server's views, kept current by the SSE events. */
export interface PageState {
  snapshot: DashboardSnapshot | null
  connected: boolean
  /** Arrival of the last event, for "updated … ago". */
  updatedAtMs: number
}

export const state: PageState = { snapshot: null, connected: false, updatedAtMs: 0 }

/** Applies one event; returns false when it is not one the page knows. */
export function applyEvent(event: string, data: string): boolean {
  const value: unknown = JSON.parse(data)
  state.updatedAtMs = Date.now()
  if (event === 'snapshot') {
    state.snapshot = value as DashboardSnapshot
    return true
  }
  const snapshot = state.snapshot
  if (snapshot === null) return false
  switch (event) {
    case 'providers':
      snapshot.providers = value as DashboardSnapshot['providers']
      return true
    case 'overview':
      snapshot.overview = value as DashboardSnapshot['overview']
      return true
    case 'totals':
      Object.assign(snapshot.overview, value)
      return true
    case 'routing':
      snapshot.routing = value as DashboardSnapshot['routing']
      return true
    case 'config':
      snapshot.config = value as DashboardSnapshot['config']
      return true
    case 'requests': {
      // A request already shown (sent in the snapshot before its status was known) is replaced.
      const fresh = value as RequestView[]
      const ids = new Set(fresh.map((request) => request.id))
      const kept = snapshot.requests.filter((request) => !ids.has(request.id))
      snapshot.requests = [...kept, ...fresh].sort((a, b) => b.id - a.id).slice(0, KEPT_REQUESTS)
      return true
    }
    default:
      return false
  }
}
