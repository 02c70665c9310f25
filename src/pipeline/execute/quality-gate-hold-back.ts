/** Enough text to recognise a refusal or an empty answer from its opening. */
const RELEASE_AT_CHARS = 200
/** The most a stream's first token may be delayed while its opening could still be a refusal. */
export const RELEASE_AFTER_MS = 500
/**
 * The most it may be delayed once the opening cannot be a refusal any more. Still held that long, so a
 * stream that breaks or ends badly (empty, cut off, code asked and none given) right after its opening
 * is replaced unseen, as before; coding agents wait this instead of the full 500 ms on every turn.
 */
export const RELEASE_UNLESS_REFUSAL_AFTER_MS = 200

/** How long, at most, an opening may be held from its first substance, given what it reads like so far. */
export function holdLimitMs(couldBecomeRefusal: boolean): number {
  return couldBecomeRefusal ? RELEASE_AFTER_MS : RELEASE_UNLESS_REFUSAL_AFTER_MS
}

/**
 * Whether a stream's held-back opening may now flow to the client. The quality gate reads the opening
 * first; a tool call or the end of the answer settles it at once, and so do 200 characters or the hold
 * limit: 500 ms while the opening could still become a refusal, 200 ms once it cannot.
 */
export function shouldReleaseHeldChunks(input: {
  heldChars: number
  heldMs: number
  sawToolCall: boolean
  finished: boolean
  couldBecomeRefusal: boolean
}): boolean {
  return (
    input.finished ||
    input.sawToolCall ||
    input.heldChars >= RELEASE_AT_CHARS ||
    input.heldMs >= holdLimitMs(input.couldBecomeRefusal)
  )
}
