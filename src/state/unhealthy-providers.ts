import type { HealthReport } from './types.js'

/** "provider/model" of every target whose circuit breaker is open, for /metrics. */
export function unhealthyProviders(report: HealthReport): string[] {
  return report.providers.flatMap((provider) =>
    provider.models
      .filter((model) => model.breaker.state === 'open')
      .map((model) => `${provider.provider}/${model.model}`),
  )
}
