import type { FastifyInstance } from 'fastify'
import { VERSION } from '../../version.js'
import { ROUTE_LIST } from '../route-list.js'

/** GET /: someone opened the base address in a browser or curl. Says what this is and where to go. */
export function registerRoot(app: FastifyInstance): void {
  app.get('/', async () => ({
    name: 'SmartSplit',
    version: VERSION,
    message:
      'An OpenAI-compatible API is served under /v1: point any OpenAI client at this address + /v1 with model "smartsplit".',
    api: '/v1',
    status: { health: '/health', metrics: '/metrics', savings: '/savings', dashboard: '/dashboard' },
    docs: 'README.md of SmartSplit; `smartsplit --help` lists the options, `smartsplit doctor` checks the setup',
    routes: ROUTE_LIST,
  }))
}
