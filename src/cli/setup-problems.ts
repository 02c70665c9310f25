import type { ProviderConfig } from '../config/types.js'

/**
 * Providers the user asked for (a key, or `"enabled": true`) that still cannot be used, each with what to
 * do: a Cloudflare key without an account id, a paid key without `"enabled": true`, an enabled provider
 * without a key. Named one by one, so nobody is told "no provider is configured" after setting a key.
 */
export function setupProblems(providers: readonly ProviderConfig[]): string[] {
  return providers
    .filter((provider) => provider.isRequested && !provider.enabled)
    .map((provider) => `${provider.name}: ${provider.disabledReason ?? 'disabled'}`)
}
