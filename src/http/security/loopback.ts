import { isIP } from 'node:net'

/** True for names and addresses that only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (isIP(name) === 4) return name.startsWith('127.')
  if (isIP(name) === 6) return name === '::1' || /^::ffff:127\./.test(name)
  return false
}

/** The host name of a Host header or an origin's authority, without its port. */
export function hostnameOf(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1)
  return authority.split(':')[0] ?? ''
}

/**
 * Why SmartSplit must not listen on `host` as configured, or null when it may. Off this machine, anyone
 * who can reach the port could spend the provider keys, so another address needs access keys or
 * an explicit --insecure.
 */
export function exposureProblem(host: string, hasAccessKeys: boolean, isInsecure: boolean): string | null {
  if (isLoopbackHost(host) || hasAccessKeys || isInsecure) return null
  return [
    `Refusing to listen on ${host} without an access key: anyone who can reach it could use your provider keys.`,
    'Set one (clients send it as "Authorization: Bearer <key>"):',
    `  SMARTSPLIT_API_KEY=$(openssl rand -hex 24) smartsplit --host ${host}`,
    '  or "server": {"api_keys": ["…"]} in smartsplit.json',
    'or pass --insecure to serve it open anyway (only on a network you trust).',
  ].join('\n')
}
