import { describe, expect, it } from 'vitest'
import { DashboardFeed } from './dashboard-feed.js'
import type { DashboardSource } from './dashboard-source.js'
import type { ConfigView, RequestView } from './types.js'

const CONFIG: ConfigView = {
  source: null,
  mode: 'balanced',
  loadedAtMs: 0,
  reloads: 0,
  lastError: null,
  needsRestart: [],
  logPrompts: false,
}

/** A source that counts the work the feed asks of it. */
function countingSource() {
  const calls = { providers: 0, requestsAfter: 0, overview: 0, routing: 0, totals: 0 }
  const state = { count: 0, providerState: 'ok', requests: [] as RequestView[] }
  const source: DashboardSource = {
    snapshot: () => {
      throw new Error('not used by the feed')
    },
    overview: () => {
      calls.overview++
      return { requests: state.count } as never
    },
    totals: () => {
      calls.totals++
      return { requests: state.count } as never
    },
    providers: () => {
      calls.providers++
      return [{ name: 'groq', state: state.providerState }] as never
    },
    routing: () => {
      calls.routing++
      return { single: state.count } as never
    },
    recentRequests: () => [],
    requestsAfter: (afterId) => {
      calls.requestsAfter++
      return state.requests.filter((request) => request.id > afterId)
    },
    config: () => CONFIG,
    requestCount: () => state.count,
  }
  return { source, calls, state }
}

const request = (id: number, timeMs: number, status: number | null): RequestView =>
  ({ id, timeMs, status }) as RequestView

const noTimers = { setInterval: () => ({}), clearInterval: () => {} }

describe('DashboardFeed', () => {
  it('sends nothing while nothing changes, and reads no request log until a request finished', () => {
    const { source, calls } = countingSource()
    let nowMs = 0
    const feed = new DashboardFeed(source, () => nowMs, noTimers)
    const events: string[] = []
    feed.subscribe((event) => events.push(event), 0)
    for (let second = 1; second <= 20; second++) {
      nowMs = second * 1000
      feed.tick()
    }
    // The first tick sends the provider state and config once (what the page compares against).
    expect(events).toEqual(['providers', 'config'])
    expect(calls.requestsAfter).toBe(0)
    expect(calls.overview).toBe(0)
  })

  it('sends a changed provider state at the next tick, and new requests once their status is known', () => {
    const { source, state } = countingSource()
    let nowMs = 0
    const feed = new DashboardFeed(source, () => nowMs, noTimers)
    const events: { event: string; data: string }[] = []
    feed.subscribe((event, data) => events.push({ event, data }), 0)
    feed.tick()
    events.length = 0
    state.providerState = 'cooldown'
    state.count = 1
    state.requests = [request(1, 0, 200), request(2, 0, null)]
    nowMs = 1000
    feed.tick()
    expect(events.map((e) => e.event)).toEqual(['providers', 'requests', 'totals'])
    expect(JSON.parse(events[1]!.data)).toHaveLength(1)
    events.length = 0
    state.requests[1]!.status = 200
    nowMs = 2000
    feed.tick()
    expect(events.map((e) => e.event)).toEqual(['requests'])
    expect(JSON.parse(events[0]!.data)).toEqual([request(2, 0, 200)])
  })

  it('recomputes the charts at most every 5 s under traffic, and every minute without', () => {
    const { source, calls, state } = countingSource()
    let nowMs = 0
    const feed = new DashboardFeed(source, () => nowMs, noTimers)
    feed.subscribe(() => {}, 0)
    for (let second = 1; second <= 10; second++) {
      nowMs = second * 1000
      state.count = second
      feed.tick()
    }
    expect(calls.overview).toBe(2)
    for (let second = 11; second <= 130; second++) {
      nowMs = second * 1000
      feed.tick()
    }
    expect(calls.overview).toBe(4)
  })

  it('stops its timer when the last dashboard closes', () => {
    const { source } = countingSource()
    let running = 0
    const timers = {
      setInterval: () => {
        running++
        return {}
      },
      clearInterval: () => {
        running--
      },
    }
    const feed = new DashboardFeed(source, () => 0, timers)
    const stopFirst = feed.subscribe(() => {}, 0)
    const stopSecond = feed.subscribe(() => {}, 0)
    expect(running).toBe(1)
    stopFirst()
    expect(running).toBe(1)
    stopSecond()
    expect(running).toBe(0)
  })
})
