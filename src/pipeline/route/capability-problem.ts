import type { ProviderConfig } from '../../config/types.js'
import type { RequiredCapabilities } from './required-capabilities.js'

/** Why `provider` cannot take a request at all (context, tools, images, JSON mode), or null when it can. */
export function capabilityProblem(provider: ProviderConfig, required: RequiredCapabilities): string | null {
  const info = provider.modelInfo
  if (required.contextTokens > info.contextWindow) {
    return `needs ~${required.contextTokens} tokens of context, ${provider.name} has ${info.contextWindow}`
  }
  if (required.tools && !info.supportsTools) return `${provider.name} does not support tools`
  if (required.vision && !info.supportsVision) return `${provider.name} does not accept images`
  if (required.jsonMode && !info.supportsJsonMode) return `${provider.name} has no JSON mode`
  return null
}
