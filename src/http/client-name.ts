import type { FastifyRequest } from 'fastify'

/** The request's User-Agent as the request log shows it: printable ASCII, at most 120 characters. */
export function clientName(request: FastifyRequest): string | null {
  const agent = request.headers['user-agent']
  if (typeof agent !== 'string') return null
  const printable = agent
    .slice(0, 120)
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
  return printable === '' ? null : printable
}
