import { CircuitBreaker } from '../circuit-breaker.js'
import type { ConversationPinStore } from '../conversation-pins.js'
import { dailyResetZone } from '../daily-reset-zone.js'
import { knownTargets } from '../known-targets.js'
import type { ArmStatistics } from '../learning/arm-statistics.js'
import { createProviderState, type ProviderState, type ProviderStateOptions } from '../provider-state.js'
import { quotaPools } from '../quota-pools.js'
import type { ArmRecord } from '../store/types.js'
import { createMemoryTargetParts } from '../target-store.js'
import { createForwardingStore } from './forwarding-store.js'
import { LeasedSlices } from './leased-slices.js'
import { openPinMoves, type PinMoves } from './pin-moves.js'
import { openRedisLink } from './redis-link.js'
import { createSharedArmStatistics } from './shared-arm-statistics.js'
import { createSharedCoordination } from './shared-coordination.js'
import { createSharedPins } from './shared-pins.js'
import { createSharedPlanMemory, type PlanCodec, type PlanStore } from './shared-plan-memory.js'
import { SharedStateSync, type SharedStatus } from './state-sync.js'
import { TrustedPins } from './trusted-pins.js'

export interface SharedStateOptions extends Omit<ProviderStateOptions, 'store' | 'coordinate'> {
  redisUrl: string
  /** The longest one Redis call may take before this instance goes on without it. */
  timeoutMs: number
  /** Prefix of every key, so several SmartSplit deployments can share one Redis. */
  namespace: string
  /** This instance's name among those sharing the state (unique per process). */
  instance: string
  /** The learner's statistics this instance had saved (a Redis without any is seeded with them). */
  savedArms: readonly ArmRecord[]
  warn(message: string): void
  info(message: string): void
}

/**
 * Provider state, learner statistics, plans and conversation pins shared through Redis by every instance
 * of a deployment.
 */
export interface SharedState {
  providerState: ProviderState
  armStatistics: ArmStatistics
  sharePlans<T>(local: PlanStore<T>, codec: PlanCodec<T>): PlanStore<T>
  /** Conversation pins read and written through Redis, `local` kept as the copy and the fallback. */
  sharePins(local: ConversationPinStore, affinity: PinAffinity): ConversationPinStore
  status(): SharedStatus
  close(): Promise<void>
}

export interface PinAffinity {
  /** A conversation unheard of for this long is forgotten. */
  idleMs: number
  /** The most conversations this instance keeps a pin of. */
  maxConversations: number
}

const PULL_EVERY_MS = 250
/** A pin answered from this instance's copy has its idle time in Redis started again at most this often. */
const PIN_TOUCH_EVERY_MS = 10_000

export function createSharedState(options: SharedStateOptions): SharedState {
  const { clock } = options
  const breaker = { ...CircuitBreaker.defaults, ...options.breaker }
  const pools = quotaPools(options.providers)
  const zones = options.dailyResetZones ?? {}
  const resetZoneFor = (provider: string): string => dailyResetZone(provider, zones)
  const parts = createMemoryTargetParts({ clock, breaker, pools, resetZoneFor })
  const slices = new LeasedSlices(options.instance)
  const sync = new SharedStateSync({
    prefix: `${options.namespace}:`,
    instance: options.instance,
    clock,
    parts,
    slices,
    bucketOf: pools.bucketOf,
    knownTargets: () => knownTargets(options.providers, parts.store),
    probeTimeoutMs: breaker.probeTimeoutMs,
    pullEveryMs: PULL_EVERY_MS,
    warn: options.warn,
    info: options.info,
  })
  const forward = sync.forward.bind(sync)
  const store = createForwardingStore(parts, {
    clock,
    bucketOf: pools.bucketOf,
    forward,
    onRestored: (target) => sync.rememberRestored(target),
  })
  const providerState = createProviderState({
    ...options,
    store,
    coordinate: (local, rules) =>
      createSharedCoordination({
        local,
        rules,
        parts,
        channel: sync,
        slices,
        bucketOf: pools.bucketOf,
        breakerOpenMs: breaker.openMs,
      }),
  })
  const armStatistics = createSharedArmStatistics(options.savedArms, forward)
  let pinMoves: PinMoves | null = null
  sync.addExtra(armStatistics)
  sync.attach(
    openRedisLink({
      url: options.redisUrl,
      timeoutMs: options.timeoutMs,
      onConnection: (isReady, why) => sync.connectionChanged(isReady, why),
    }),
  )
  return {
    providerState,
    armStatistics,
    sharePlans(local, codec) {
      const plans = createSharedPlanMemory(local, codec, forward, clock)
      sync.addExtra(plans)
      return plans
    },
    sharePins(local, { idleMs, maxConversations }) {
      const trusted = new TrustedPins({
        touchEveryMs: Math.min(PIN_TOUCH_EVERY_MS, idleMs / 4),
        maxConversations,
      })
      // One connection follows the moves for the pins shared last (sharePins is called once per app).
      void pinMoves?.close()
      pinMoves = openPinMoves({
        url: options.redisUrl,
        timeoutMs: options.timeoutMs,
        channel: `${options.namespace}:pins`,
        instance: options.instance,
        onMove: (conversation) => trusted.moved(conversation),
        onFollowing: (isFollowing) => trusted.following(isFollowing),
        warn: options.warn,
      })
      const prefix = `${options.namespace}:`
      return createSharedPins(local, { prefix, idleMs, instance: options.instance, channel: sync, trusted })
    },
    status: () => sync.status(),
    async close() {
      await Promise.all([sync.close(), pinMoves?.close()])
    },
  }
}
