/** An AbortController that also aborts when `parent` does; `dispose` detaches it. */
export function linkedAbortController(parent: AbortSignal): {
  controller: AbortController
  dispose: () => void
} {
  const controller = new AbortController()
  if (parent.aborted) {
    controller.abort(parent.reason)
    return { controller, dispose: () => {} }
  }
  const onAbort = (): void => controller.abort(parent.reason)
  parent.addEventListener('abort', onAbort, { once: true })
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) }
}

/** Rejects with `makeError()` after `ms`, unless the returned promise settles first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  // The losing promise may still reject later; that rejection is expected and must not crash the process.
  promise.catch(() => {})
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export class ClientGoneError extends Error {
  constructor() {
    super('the client disconnected')
    this.name = 'ClientGoneError'
  }
}
