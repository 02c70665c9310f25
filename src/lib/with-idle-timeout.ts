/**
 * Passes items through, failing with `makeError()` when none arrives for `idleMs`. Unlike a socket
 * timeout, only items count as activity: an upstream sending nothing but keep-alive comments forever
 * still times out.
 */
export async function* withIdleTimeout<T>(
  source: AsyncIterable<T>,
  idleMs: number,
  makeError: () => Error,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  try {
    while (true) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(makeError()), idleMs)
      })
      const pending = iterator.next()
      pending.catch(() => {}) // observed through the race; a late rejection after a timeout is expected
      let next: IteratorResult<T>
      try {
        next = await Promise.race([pending, timeout])
      } finally {
        clearTimeout(timer)
      }
      if (next.done) return
      yield next.value
    }
  } finally {
    // Not awaited: a generator stuck in a read only returns once that read settles, which after a
    // timeout may be never. The caller destroys the underlying stream, which settles it.
    void iterator.return?.()?.catch(() => {})
  }
}
