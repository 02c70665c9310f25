import { keyIndexOf } from '../execute/call-for.js'
import type { ConversationPins } from '../ports.js'
import type { RoutePlan, StreamOutcome } from '../types.js'
import { decideAffinity } from './decide-affinity.js'

/**
 * Once an answer is committed to a target, the conversation is pinned there (a new pin, the same one
 * refreshed, or the pin moved), and the outcome carries what affinity did for the headers.
 */
export async function recordAffinity(
  plan: RoutePlan,
  outcome: StreamOutcome,
  pins: ConversationPins,
  nowMs: number,
): Promise<StreamOutcome> {
  const affinity = decideAffinity(plan.affinity, outcome.candidate, outcome.attempts)
  if (affinity === null || plan.affinity === null) return outcome
  const { candidate } = outcome
  const target = {
    provider: candidate.provider.name,
    model: candidate.model,
    keyIndex: keyIndexOf(candidate),
  }
  await pins.set(plan.affinity.key, target, nowMs)
  return { ...outcome, notes: { ...outcome.notes, affinity } }
}
