/**
 * Reads until `accept` says yes or `timeoutMs` passes, every 100 ms; resolves with the last value read
 * (the caller's assertion then says what was seen instead).
 */
export async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (accept(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
