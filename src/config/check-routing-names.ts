import { ConfigError } from './config-error.js'
import type { ProviderConfig } from './types.js'

/**
 * Every name in a `routing` row must be a provider SmartSplit knows (the catalog's or one defined under
 * "providers"): a typo such as "openrouterr" would otherwise drop that provider from the row silently.
 */
export function checkRoutingNames(
  routing: Partial<Record<string, readonly string[]>>,
  providers: readonly ProviderConfig[],
): void {
  const known = new Set(providers.map((provider) => provider.name))
  for (const [task, row] of Object.entries(routing)) {
    for (const [index, group] of (row ?? []).entries()) {
      const unknown = group
        .split('=')
        .map((name) => name.trim())
        .find((name) => !known.has(name))
      if (unknown === undefined) continue
      throw new ConfigError(
        `routing.${task}.${index}: unknown provider "${unknown}" in "${group}"; known providers: ${[...known].join(', ')}, or add it under "providers" with base_url and model`,
      )
    }
  }
}
