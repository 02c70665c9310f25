import type { Clock } from '../../lib/clock.js'
import type { MemoryTargetParts } from '../target-store.js'
import type { AttemptTarget, EffectiveLimits } from '../types.js'
import { ADMIT_LUA } from './admit-script.js'
import { adoptBucket, adoptPulledFacts } from './adopt-shared-state.js'
import { APPLY_LUA } from './apply-script.js'
import { ChangeSender } from './change-sender.js'
import type { LeasedSlices } from './leased-slices.js'
import { localShare } from './local-share.js'
import { PULL_LUA } from './pull-script.js'
import { type LuaScript, luaScript, type RedisLink } from './redis-link.js'
import { type SeenCounter, seedOps, seenCounterOf } from './seed-ops.js'
import { type AdmitAnswer, admitAnswer, type PullAnswer, pullAnswer } from './shared-answers.js'
import type { AdmissionAsk, AdmissionChannel } from './shared-coordination.js'
import type { SharedOp } from './shared-ops.js'

const ADMIT = luaScript(ADMIT_LUA)
const APPLY = luaScript(APPLY_LUA)
const PULL = luaScript(PULL_LUA)

/** Consecutive calls without an answer after which Redis counts as away (a hung server, not a closed one). */
const FAILURES_BEFORE_LOCAL = 3
/**
 * After Redis returns, this long within the local share still (checked by Redis against everyone's
 * counts): the other instances may not have reconciled yet, and each of them may still be using its share.
 */
const RECONCILE_GRACE_MS = 5_000
/** Instances assumed to share the limits when Redis was never reached since start. */
const ASSUMED_INSTANCES = 2
/** Learner statistics, plans: more state that a pull brings and a Redis that lost its state is seeded with. */
export interface SharedExtra {
  adopt(pulled: PullAnswer): void
  seedOps(): SharedOp[]
}

export interface SyncInput {
  prefix: string
  instance: string
  clock: Clock
  parts: MemoryTargetParts
  /** Parts of windows held here ahead of time: given back when unused, seeded into a Redis that lost them. */
  slices: LeasedSlices
  bucketOf(target: AttemptTarget): string
  knownTargets(): AttemptTarget[]
  /** A half-open breaker's probe not reported back within this frees the slot. */
  probeTimeoutMs: number
  /** How often the shared state is read (and this instance says it is alive). */
  pullEveryMs: number
  warn(message: string): void
  info(message: string): void
}

export interface SharedStatus {
  mode: 'redis' | 'local'
  address: string
  /** When Redis stopped answering; null while it answers (or before it ever did). */
  unreachableSinceMs: number | null
  /** Instances that said they were alive at the last pull. */
  instances: number | null
  /** Changes waiting for Redis. */
  pendingChanges: number
}

/**
 * The link between this instance's mirror and Redis: admissions, a queue of changes flushed in batches,
 * a pull a few times a second, and the moves between shared and local state. Away from Redis, admission
 * keeps to a local share of each limit and changes queue up; once Redis answers again, a Redis that lost
 * its state is seeded with what this instance last saw, the queued changes follow, and only then is
 * state shared again.
 */
export class SharedStateSync implements AdmissionChannel {
  readonly #input: SyncInput
  readonly #changes: ChangeSender
  readonly #seen = new Map<string, SeenCounter>()
  /** Counters asked for beyond the configured targets (a model used through a pinned request). */
  readonly #asked = new Map<string, AttemptTarget>()
  readonly #extras: SharedExtra[] = []
  #link: RedisLink | null = null
  #mode: 'connecting' | 'shared' | 'local' = 'connecting'
  #unreachableSinceMs: number | null = null
  #epoch: string | null = null
  #epochCandidates = 0
  #instances: number | null = null
  #failures = 0
  #plansAfter = ''
  #isPulling = false
  #timer: NodeJS.Timeout | null = null
  #capsUntilMs: number | null = null

  constructor(input: SyncInput) {
    this.#input = input
    this.#changes = new ChangeSender(input.instance, {
      apply: (batch) =>
        this.#call(APPLY, [input.prefix, input.clock.nowMs(), batch.id, JSON.stringify(batch.ops)]),
      isShared: () => this.#mode === 'shared',
      isAttached: () => this.#link !== null,
    })
    input.parts.tracker.capLimits(localShare(ASSUMED_INSTANCES))
  }

  /** Starts pulling through `link` a few times a second. */
  attach(link: RedisLink): void {
    this.#link = link
    this.#timer = setInterval(() => void this.pull(), this.#input.pullEveryMs)
    this.#timer.unref()
  }

  addExtra(extra: SharedExtra): void {
    this.#extras.push(extra)
  }

  /** A counter restored from disk at start: what a Redis without it is seeded with. */
  rememberRestored(target: AttemptTarget): void {
    const bucket = this.#input.bucketOf(target)
    const restored = this.#input.parts.tracker
      .exportCounters()
      .find((entry) => this.#input.bucketOf(entry.target) === bucket)
    if (restored !== undefined) this.#seen.set(bucket, seenCounterOf(restored.counters))
  }

  isShared(): boolean {
    return this.#mode === 'shared'
  }

  status(): SharedStatus {
    return {
      mode: this.#mode === 'shared' ? 'redis' : 'local',
      address: this.#link?.address ?? '',
      unreachableSinceMs: this.#unreachableSinceMs,
      instances: this.#instances,
      pendingChanges: this.#changes.queue.size,
    }
  }

  async admit(
    target: AttemptTarget,
    tokens: number,
    dayEndMs: number,
    limits: EffectiveLimits,
    ask: AdmissionAsk = { admitsCall: true, slice: null },
  ): Promise<AdmitAnswer> {
    const limit = (value: number | null): number => value ?? -1
    const slice = ask.slice ?? { id: '', want: 0, tokensEach: 0, least: 0, heldUntilMs: 0 }
    const bucket = this.#input.bucketOf(target)
    const args = [
      this.#input.prefix,
      this.#input.clock.nowMs(),
      bucket,
      `${target.provider}\u0000${target.keyIndex}`,
      `${target.provider}\u0000${target.model}`,
      tokens,
      limit(limits.rpm),
      limit(limits.rpd),
      limit(limits.tpm),
      limit(limits.tpd),
      String(dayEndMs),
      this.#input.probeTimeoutMs,
      ask.admitsCall ? 1 : 0,
      slice.want,
      slice.tokensEach,
      slice.least,
      slice.id,
      slice.heldUntilMs,
    ]
    try {
      return admitAnswer.parse(JSON.parse(String(await this.#call(ADMIT, args))))
    } catch (error) {
      // Redis may have granted the slice and the answer been lost: it is given back, unused.
      if (slice.id !== '')
        this.#changes.queue.push({ kind: 'unslice', bucket, id: slice.id, dayEndMs, calls: [] })
      // This call goes on locally: from now on within the local share, until a pull finds Redis again.
      this.#goLocal((error as Error).message)
      throw error
    }
  }

  remember(target: AttemptTarget, answer: AdmitAnswer, dayEndMs: number): void {
    const bucket = this.#input.bucketOf(target)
    if (!this.#asked.has(bucket)) this.#asked.set(bucket, { ...target })
    this.#seen.set(bucket, { dayEndMs, minute: answer.minute, requests: answer.dr, tokens: answer.dt })
  }

  /** One script through the link, its failures counted as every call's are (a few in a row: local). */
  run(script: LuaScript, args: readonly (string | number)[]): Promise<unknown> {
    return this.#call(script, args)
  }

  forward(op: SharedOp): void {
    this.#changes.forward(op)
  }

  /** Redis connected (pull, reconcile, then share) or lost (local state from now on). */
  connectionChanged(isReady: boolean, why: string | null): void {
    if (isReady) void this.pull()
    else this.#goLocal(why ?? 'connection lost')
  }

  /** Reads the shared state into the mirror; after an absence, reconciles first. */
  async pull(): Promise<void> {
    for (const op of this.#input.slices.giveBackUnused(this.#input.clock.nowMs())) this.forward(op)
    if (this.#capsUntilMs !== null && this.#input.clock.nowMs() >= this.#capsUntilMs) {
      this.#capsUntilMs = null
      if (this.#mode === 'shared') this.#input.parts.tracker.capLimits(null)
    }
    if (this.#isPulling || this.#link === null || !this.#link.isReady()) return
    this.#isPulling = true
    try {
      const pulled = await this.#pullOnce()
      if (pulled === null || this.#mode === 'shared') return
      await this.#changes.flush()
      if (this.#changes.queue.size === 0 && this.#link.isReady()) this.#goShared()
    } finally {
      this.#isPulling = false
    }
  }

  /** Sends what is still queued (bounded by the call timeout), then closes the connection. */
  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#changes.stopWaiting()
    for (const op of this.#input.slices.giveBackAll()) this.#changes.queue.push(op)
    if (this.#mode === 'shared') await this.#changes.flush()
    await this.#link?.close()
  }

  async #pullOnce(): Promise<PullAnswer | null> {
    const { parts, clock } = this.#input
    // Counters are taken from Redis only when nothing of this instance's is still on its way there.
    await this.#changes.sendWaiting()
    const targets = new Map<string, AttemptTarget>(this.#asked)
    for (const target of this.#input.knownTargets()) {
      const bucket = this.#input.bucketOf(target)
      if (!targets.has(bucket)) targets.set(bucket, target)
    }
    const ask = {
      buckets: [...targets].map(([bucket, target]) => [bucket, String(parts.tracker.dayEndMs(target))]),
      plansAfter: this.#plansAfter,
    }
    const candidate = `${this.#input.instance}:${++this.#epochCandidates}`
    let pulled: PullAnswer
    try {
      const args = [this.#input.prefix, clock.nowMs(), this.#input.instance, candidate, JSON.stringify(ask)]
      pulled = pullAnswer.parse(JSON.parse(String(await this.#call(PULL, args))))
    } catch {
      return null
    }
    if (pulled.epoch !== this.#epoch) {
      // First contact, or a Redis that lost its state: what this instance knows goes first.
      const known = [...targets.values()]
      const nowMs = clock.nowMs()
      const seeds = seedOps({
        parts,
        seen: this.#seen,
        knownTargets: known,
        bucketOf: this.#input.bucketOf,
        nowMs,
        afterLoss: this.#epoch !== null,
      })
      const extras = this.#extras.flatMap((extra) => extra.seedOps())
      this.#changes.queue.pushFirst([...seeds, ...this.#input.slices.seedOps(), ...extras])
      this.#epoch = pulled.epoch
    }
    this.#instances = pulled.instances
    adoptPulledFacts(parts, pulled)
    for (const extra of this.#extras) extra.adopt(pulled)
    const lastPlan = pulled.plans.at(-1)
    if (lastPlan !== undefined) this.#plansAfter = lastPlan[0]
    // Counts still queued here are not in Redis yet: taking its counters now would forget them a moment.
    if (this.#changes.queue.size > 0) return pulled
    const nowMs = clock.nowMs()
    for (const [bucket, minute, requests, tokens, heldRequests, heldTokens] of pulled.buckets) {
      const target = targets.get(bucket)
      if (target === undefined) continue
      const dayEndMs = parts.tracker.dayEndMs(target)
      const counter = { minute, requests, tokens, heldRequests, heldTokens }
      adoptBucket(
        parts,
        target,
        this.#input.slices.mirrorView(bucket, counter, dayEndMs, nowMs),
        dayEndMs,
        nowMs,
      )
      this.#seen.set(bucket, { dayEndMs, minute, requests, tokens })
    }
    return pulled
  }

  async #call(script: LuaScript, args: readonly (string | number)[]): Promise<unknown> {
    if (this.#link === null) throw new Error('not connected')
    void this.#changes.sendWaiting()
    try {
      const answer = await this.#link.run(script, args)
      this.#failures = 0
      return answer
    } catch (error) {
      this.#failures++
      if (this.#failures >= FAILURES_BEFORE_LOCAL || !this.#link.isReady())
        this.#goLocal((error as Error).message)
      throw error
    }
  }

  #goLocal(why: string): void {
    if (this.#mode === 'local') return
    const wasConnecting = this.#mode === 'connecting'
    this.#mode = 'local'
    this.#unreachableSinceMs = this.#input.clock.nowMs()
    this.#capsUntilMs = null
    const instances = this.#instances ?? ASSUMED_INSTANCES
    this.#input.parts.tracker.capLimits(localShare(instances))
    const address = this.#link?.address ?? 'Redis'
    this.#input.warn(
      `${wasConnecting ? 'cannot reach' : 'lost'} the shared state at ${address} (${why}): continuing on local state, within 1/${instances} of each limit, until it answers again (GET /health shows it)`,
    )
  }

  #goShared(): void {
    const wasAway = this.#unreachableSinceMs !== null
    this.#mode = 'shared'
    this.#unreachableSinceMs = null
    if (wasAway) this.#capsUntilMs = this.#input.clock.nowMs() + RECONCILE_GRACE_MS
    else this.#input.parts.tracker.capLimits(null)
    if (wasAway)
      this.#input.info(
        `the shared state at ${this.#link?.address ?? 'Redis'} answers again: local changes reconciled`,
      )
  }
}
