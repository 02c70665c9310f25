import { createHmac, timingSafeEqual } from 'node:crypto'

/** The dashboard's login cookie. */
export const SESSION_COOKIE = 'smartsplit_session'

// The cookie holds a token derived from the access key, never the key itself: a copy of the cookie
// works only where that key does, and removing the key from the config ends its sessions.
const tokenOf = (key: string): Buffer =>
  createHmac('sha256', key).update('smartsplit dashboard session v1').digest()

/** The cookie value for a browser that logged in with `key`. */
export function sessionValue(key: string): string {
  return tokenOf(key).toString('base64url')
}

/** The value of one cookie in a Cookie header, or null. Linear: one split, no pattern over the header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null
  for (const part of header.slice(0, 8192).split(';')) {
    const equals = part.indexOf('=')
    if (equals === -1 || part.slice(0, equals).trim() !== name) continue
    return part.slice(equals + 1).trim()
  }
  return null
}

/** True when the Cookie header carries a session of one of `keys`, compared in constant time. */
export function createSessionCheck(keys: readonly string[]): (cookieHeader: string | undefined) => boolean {
  const expected = keys.map(tokenOf)
  return (cookieHeader) => {
    const value = readCookie(cookieHeader, SESSION_COOKIE)
    if (value === null || value.length > 100) return false
    const presented = Buffer.from(value, 'base64url')
    let isValid = false
    for (const token of expected)
      isValid = (presented.length === token.length && timingSafeEqual(presented, token)) || isValid
    return isValid
  }
}
