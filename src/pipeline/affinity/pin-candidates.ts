import type { ProviderConfig } from '../../config/types.js'
import type { AttemptTarget, AvailabilityState, StateSnapshot } from '../../state/types.js'
import { capabilityProblem } from '../route/capability-problem.js'
import type { RequiredCapabilities } from '../route/required-capabilities.js'
import type { Candidate } from '../route/types.js'
import type { MoveReason } from '../types.js'

export interface PinContext {
  providers: readonly ProviderConfig[]
  snapshot: StateSnapshot
  required: RequiredCapabilities
}

/** Why the state layer keeps a target from taking calls, as the reason a conversation moves. */
export function moveReasonOf(state: AvailabilityState): MoveReason {
  switch (state) {
    case 'cooldown':
      return 'rate_limited'
    case 'quota':
      return 'quota'
    case 'open':
    case 'half_open':
      return 'breaker_open'
    case 'disabled':
      return 'disabled'
    case 'ok':
      return 'unavailable'
  }
}

const isSameTarget = (candidate: Candidate, pin: AttemptTarget): boolean =>
  candidate.provider.name === pin.provider &&
  candidate.model === pin.model &&
  (candidate.apiKey === null ? 0 : candidate.provider.apiKeys.indexOf(candidate.apiKey)) === pin.keyIndex

/** The pinned target as a candidate, or why it cannot take this request now. */
function pinnedCandidate(pin: AttemptTarget, context: PinContext): Candidate | MoveReason {
  const provider = context.providers.find((p) => p.enabled && p.name === pin.provider)
  const hasKey =
    provider !== undefined &&
    (provider.apiKeys.length === 0 ? pin.keyIndex === 0 : pin.keyIndex < provider.apiKeys.length)
  if (provider === undefined || !hasKey) return 'disabled'
  if (capabilityProblem(provider, context.required) !== null) return 'cannot_serve'
  const view = context.snapshot.view(pin)
  if (context.snapshot.isRetired(pin.provider, pin.model)) return 'disabled'
  if (view.score <= 0) return moveReasonOf(view.availability.state)
  return {
    provider,
    model: pin.model,
    apiKey: provider.apiKeys[pin.keyIndex] ?? null,
    reason: "this conversation's provider, model and key (affinity)",
    prior: null,
  }
}

/**
 * A pinned conversation's candidates: its target first while it is available and able (whatever the
 * ranking, exploration included, would pick), then the ranking as the fallback chain. When the target
 * cannot take the request the ranking stands alone, and the reason says why the conversation moves.
 */
export function pinCandidates(
  ranked: readonly Candidate[],
  pin: AttemptTarget,
  context: PinContext,
): { candidates: Candidate[]; unavailable: MoveReason | null } {
  const pinned = pinnedCandidate(pin, context)
  if (typeof pinned === 'string') return { candidates: [...ranked], unavailable: pinned }
  const ranking = ranked.filter((candidate) => !isSameTarget(candidate, pin))
  const same = ranked.find((candidate) => isSameTarget(candidate, pin))
  const lead =
    same === undefined ? pinned : { ...same, reason: `${same.reason}; this conversation's (affinity)` }
  return { candidates: [lead, ...ranking], unavailable: null }
}
