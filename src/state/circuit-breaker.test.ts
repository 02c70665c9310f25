import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { CircuitBreaker } from './circuit-breaker.js'

const SECOND_MS = 1000
const MINUTE_MS = 60 * SECOND_MS

function setup(options: ConstructorParameters<typeof CircuitBreaker>[1] = {}) {
  const clock = new ManualClock()
  return { clock, breaker: new CircuitBreaker(clock, options) }
}

describe('CircuitBreaker', () => {
  it('opens after 3 failures within 5 minutes, for 30 minutes', () => {
    const { clock, breaker } = setup()
    breaker.recordFailure()
    clock.advance(2 * MINUTE_MS)
    breaker.recordFailure()
    expect(breaker.state()).toBe('closed')
    expect(breaker.recentFailures()).toBe(2)
    clock.advance(2 * MINUTE_MS)
    breaker.recordFailure()
    expect(breaker.state()).toBe('open')
    expect(breaker.openUntilMs()).toBe(clock.nowMs() + 30 * MINUTE_MS)
    expect(breaker.tryAcquire()).toBeNull()
    clock.advance(30 * MINUTE_MS - 1)
    expect(breaker.state()).toBe('open')
    clock.advance(1)
    expect(breaker.state()).toBe('half_open')
    expect(breaker.openUntilMs()).toBeNull()
  })

  it('counts failures in the window even with successes between them (a model failing 2 calls in 3)', () => {
    const { breaker } = setup()
    for (const outcome of ['fail', 'fail', 'ok', 'fail'] as const) {
      if (outcome === 'fail') breaker.recordFailure()
      else breaker.recordSuccess()
    }
    expect(breaker.state()).toBe('open')
  })

  it('forgets failures older than the window', () => {
    const { clock, breaker } = setup()
    breaker.recordFailure()
    breaker.recordFailure()
    clock.advance(5 * MINUTE_MS)
    breaker.recordFailure()
    expect(breaker.state()).toBe('closed')
    expect(breaker.recentFailures()).toBe(1)
  })

  it('open → half-open → one probe at a time → closed on success', () => {
    const { clock, breaker } = setup()
    for (let i = 0; i < 3; i++) breaker.recordFailure()
    clock.advance(30 * MINUTE_MS)
    expect(breaker.canAcquire()).toBe(true)
    expect(breaker.tryAcquire()).toBe('probe')
    expect(breaker.isProbeInFlight()).toBe(true)
    expect(breaker.canAcquire()).toBe(false)
    expect(breaker.tryAcquire()).toBeNull()
    breaker.recordSuccess()
    expect(breaker.state()).toBe('closed')
    expect(breaker.tryAcquire()).toBe('normal')
    expect(breaker.tryAcquire()).toBe('normal')
    expect(breaker.recentFailures()).toBe(0)
  })

  it('re-opens for a full period when the probe fails', () => {
    const { clock, breaker } = setup()
    for (let i = 0; i < 3; i++) breaker.recordFailure()
    clock.advance(30 * MINUTE_MS)
    expect(breaker.tryAcquire()).toBe('probe')
    clock.advance(10 * SECOND_MS)
    breaker.recordFailure()
    expect(breaker.state()).toBe('open')
    expect(breaker.openUntilMs()).toBe(clock.nowMs() + 30 * MINUTE_MS)
  })

  it('frees the probe slot when the probe ends without a verdict, or after the probe timeout', () => {
    const { clock, breaker } = setup({ probeTimeoutMs: MINUTE_MS })
    for (let i = 0; i < 3; i++) breaker.recordFailure()
    clock.advance(30 * MINUTE_MS)
    expect(breaker.tryAcquire()).toBe('probe')
    breaker.releaseProbe()
    expect(breaker.tryAcquire()).toBe('probe')
    clock.advance(MINUTE_MS - 1)
    expect(breaker.tryAcquire()).toBeNull()
    clock.advance(1)
    expect(breaker.tryAcquire()).toBe('probe')
  })

  it('ignores late results while open', () => {
    const { clock, breaker } = setup()
    for (let i = 0; i < 3; i++) breaker.recordFailure()
    const until = breaker.openUntilMs()
    clock.advance(MINUTE_MS)
    breaker.recordSuccess()
    breaker.recordFailure()
    expect(breaker.state()).toBe('open')
    expect(breaker.openUntilMs()).toBe(until)
  })

  it('takes its thresholds from options', () => {
    const { clock, breaker } = setup({ failureThreshold: 1, openMs: 10 * SECOND_MS })
    breaker.recordFailure()
    expect(breaker.state()).toBe('open')
    clock.advance(10 * SECOND_MS)
    expect(breaker.state()).toBe('half_open')
  })
})
