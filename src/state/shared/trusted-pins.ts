/** What a read or write through Redis knew when it began: whether a move came in while it waited. */
export interface PinWatch {
  readonly conversation: string
  readonly epoch: number
  readonly moves: number
  readonly writes: number
}

export interface TrustedPinsOptions {
  /** How often a pin answered from the copy is read through Redis again, to keep its idle time there. */
  touchEveryMs: number
  /** The most conversations remembered as trusted (the oldest are forgotten first). */
  maxConversations: number
}

/**
 * Which conversations' pins this instance may answer from its own copy without asking Redis: those it
 * read or wrote through Redis while following the moves other instances publish, with no move heard of
 * since. A later turn then waits on no round trip; a turn after another instance moved the pin still
 * reads Redis, because the move's message reached this instance first (in the rare race where the move
 * lands in the moments before its message, one turn keeps the old pin).
 */
export class TrustedPins {
  readonly #options: TrustedPinsOptions
  /** Conversation → when its pin was last read or written through Redis (oldest first). */
  readonly #touchedAtMs = new Map<string, number>()
  /** Conversations with a read or write in flight → moves heard of and writes begun here so far. */
  readonly #watched = new Map<string, { calls: number; moves: number; writes: number }>()
  #epoch = 0
  #isFollowing = false

  constructor(options: TrustedPinsOptions) {
    this.#options = options
  }

  /** Following the moves (or not: everything trusted so far may have moved unheard). */
  following(isFollowing: boolean): void {
    if (isFollowing === this.#isFollowing) return
    this.#isFollowing = isFollowing
    this.#epoch++
    this.#touchedAtMs.clear()
  }

  /** Another instance wrote this conversation's pin. */
  moved(conversation: string): void {
    this.#touchedAtMs.delete(conversation)
    const watched = this.#watched.get(conversation)
    if (watched !== undefined) watched.moves++
  }

  /** This instance is writing this conversation's pin: reads in flight found an older one. */
  writing(conversation: string): void {
    this.#touchedAtMs.delete(conversation)
    const watched = this.#watched.get(conversation)
    if (watched !== undefined) watched.writes++
  }

  isTrusted(conversation: string): boolean {
    return this.#isFollowing && this.#touchedAtMs.has(conversation)
  }

  /**
   * True once per `touchEveryMs` for a trusted pin (the caller then reads it through Redis in the
   * background); the touch counts from now, so the turns that arrive while it is on its way ask for none.
   */
  takeTouch(conversation: string, nowMs: number): boolean {
    const touchedAtMs = this.#touchedAtMs.get(conversation)
    if (touchedAtMs === undefined || nowMs - touchedAtMs < this.#options.touchEveryMs) return false
    this.#touchedAtMs.set(conversation, nowMs)
    return true
  }

  forget(conversation: string): void {
    this.#touchedAtMs.delete(conversation)
  }

  /** A read or write through Redis begins. */
  watch(conversation: string): PinWatch {
    const watched = this.#watched.get(conversation) ?? { calls: 0, moves: 0, writes: 0 }
    watched.calls++
    this.#watched.set(conversation, watched)
    return { conversation, epoch: this.#epoch, moves: watched.moves, writes: watched.writes }
  }

  /** This instance began writing the conversation's pin since the read began. */
  isOverwritten(watch: PinWatch): boolean {
    return (this.#watched.get(watch.conversation)?.writes ?? watch.writes) !== watch.writes
  }

  /**
   * It ended: `agreed` when this instance's copy now holds what Redis holds. Trusted only if it was
   * followed throughout and no move of that conversation came in meanwhile.
   */
  settle(watch: PinWatch, agreed: boolean, nowMs: number): void {
    const { conversation } = watch
    const watched = this.#watched.get(conversation)
    if (watched === undefined) return
    const unmoved =
      this.#isFollowing &&
      watch.epoch === this.#epoch &&
      watched.moves === watch.moves &&
      watched.writes === watch.writes
    if (--watched.calls === 0) this.#watched.delete(conversation)
    this.#touchedAtMs.delete(conversation)
    if (!agreed || !unmoved) return
    this.#touchedAtMs.set(conversation, nowMs)
    if (this.#touchedAtMs.size > this.#options.maxConversations) {
      const oldest = this.#touchedAtMs.keys().next()
      if (oldest.done !== true) this.#touchedAtMs.delete(oldest.value)
    }
  }
}
