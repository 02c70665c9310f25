import type { FastifyInstance } from 'fastify'
import { VERSION } from '../../version.js'
import type { HttpServices } from '../types.js'

export function registerHealth(app: FastifyInstance, services: HttpServices): void {
  // 503 with nothing to serve, so a container health check or a load balancer sees it; the body still
  // says why and lists every provider.
  app.get('/health', async (_request, reply) => {
    const enabled = services.providers.filter((p) => p.enabled)
    const state = services.providerHealth()
    return reply.status(enabled.length > 0 ? 200 : 503).send({
      status: enabled.length > 0 ? 'ok' : 'no_providers',
      version: VERSION,
      uptime_s: Math.round((services.nowMs() - services.startedAtMs) / 1000),
      mode: services.mode,
      providers: {
        configured: services.providers.filter((p) => p.apiKeys.length > 0 || p.enabled).length,
        enabled: enabled.length,
        list: services.providers.map((p) => ({
          name: p.name,
          tier: p.tier,
          enabled: p.enabled,
          reason: p.disabledReason,
          model: p.model,
          keys: p.apiKeys.length,
        })),
      },
      // Per provider, model and key: ok / cooldown until / open until / disabled: reason, and what is left.
      state: state.providers.filter((p) => enabled.some((e) => e.name === p.provider)),
      // Degraded while writes fail (kept and retried) or when running on memory for want of a data dir.
      store: services.storeHealth(),
      // Quotas, breakers and learning: this process's own, or shared through Redis with other instances.
      shared_state: services.sharedState(),
    })
  })
}
