import type { AttemptTarget } from '../../state/types.js'
import type { Analysis } from '../analyze/types.js'
import type { Candidate } from '../route/types.js'
import type { ConversationSource, PlannedAffinity } from '../types.js'
import { type PinContext, pinCandidates } from './pin-candidates.js'

/** A conversation as planning sees it: its key in the pin store and the pin found there. */
export interface ConversationState {
  key: string
  source: ConversationSource
  pin: AttemptTarget | null
}

/**
 * Affinity for one request: none for an agent's background call (titles, compaction: they go to a fast
 * cheap model and must not move the conversation) or autocomplete (latency first, every keystroke a new
 * prompt); otherwise the conversation's pinned target leads the candidates while it can serve.
 */
export function planAffinity(
  conversation: ConversationState | null,
  ranked: Candidate[],
  analysis: Pick<Analysis, 'isBackgroundCall' | 'isAutocomplete'>,
  context: PinContext,
): { candidates: Candidate[]; affinity: PlannedAffinity | null } {
  if (conversation === null || analysis.isBackgroundCall || analysis.isAutocomplete === true)
    return { candidates: ranked, affinity: null }
  if (conversation.pin === null)
    return { candidates: ranked, affinity: { ...conversation, unavailable: null } }
  const pinned = pinCandidates(ranked, conversation.pin, context)
  return { candidates: pinned.candidates, affinity: { ...conversation, unavailable: pinned.unavailable } }
}
