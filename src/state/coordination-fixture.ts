import type { ProviderState } from './provider-state.js'
import type { AttemptTarget, Availability, Lease } from './types.js'

/** One call's lease, as the pipeline asks for it; null when the target is refused. */
export async function begin(
  state: ProviderState,
  target: AttemptTarget,
  tokens: number,
): Promise<Lease | null> {
  const admission = await state.coordination.admit(target, tokens)
  return 'lease' in admission ? admission.lease : null
}

/** A target's availability in a fresh snapshot. */
export async function availabilityOf(state: ProviderState, target: AttemptTarget): Promise<Availability> {
  return (await state.coordination.snapshot()).view(target).availability
}
