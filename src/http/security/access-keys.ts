import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { isAnthropicRoute } from './send-rejection.js'

export type AccessVerdict = 'granted' | 'missing' | 'invalid'

// Digests have equal length whatever the keys' lengths, so timingSafeEqual never leaks a length either.
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/** The credentials a request presents: the Bearer token, and on /v1/messages also `x-api-key`. */
function presentedCredentials(request: FastifyRequest): string[] {
  const credentials: string[] = []
  const authorization = request.headers.authorization
  if (typeof authorization === 'string') {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    credentials.push(bearer === null ? authorization : bearer[1]!.trim())
  }
  const apiKey = request.headers['x-api-key']
  if (isAnthropicRoute(request) && typeof apiKey === 'string') credentials.push(apiKey.trim())
  return credentials.filter((credential) => credential !== '')
}

/**
 * Checks a request's credentials against the configured access keys in constant time: every presented
 * credential is compared with every key, with no early exit, so timing tells nothing about which matched.
 */
export function createAccessCheck(keys: readonly string[]): (request: FastifyRequest) => AccessVerdict {
  const expected = keys.map(digest)
  return (request) => {
    const credentials = presentedCredentials(request)
    if (credentials.length === 0) return 'missing'
    let isGranted = false
    for (const credential of credentials) {
      const presented = digest(credential)
      for (const key of expected) isGranted = timingSafeEqual(presented, key) || isGranted
    }
    return isGranted ? 'granted' : 'invalid'
  }
}

/** True when `presented` is one of `keys` (the dashboard's login form), compared in constant time. */
export function isAccessKey(keys: readonly string[], presented: string): boolean {
  const candidate = digest(presented)
  let isKey = false
  for (const key of keys) isKey = timingSafeEqual(candidate, digest(key)) || isKey
  return isKey
}
