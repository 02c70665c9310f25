/** Enough text to recognise a refusal or an empty answer from its opening. */
const RELEASE_AT_CHARS = 200
/** The most a stream's first token may be delayed while the gate waits for text. */
export const RELEASE_AFTER_MS = 500

/**
 * Whether a stream's held-back opening may now flow to the client. The quality gate reads the opening
 * first; a tool call or the end of the answer settles it at once, and so do 200 characters or 500 ms.
 */
export function shouldReleaseHeldChunks(input: {
  heldChars: number
  heldMs: number
  sawToolCall: boolean
  finished: boolean
}): boolean {
  return (
    input.finished ||
    input.sawToolCall ||
    input.heldChars >= RELEASE_AT_CHARS ||
    input.heldMs >= RELEASE_AFTER_MS
  )
}
