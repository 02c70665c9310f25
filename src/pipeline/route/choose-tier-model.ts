import type { Mode } from '../../config/schema.js'
import type { ProviderConfig } from '../../config/types.js'
import type { Analysis } from '../analyze/types.js'

export type Tier = 'fast' | 'strong'

/**
 * Cheap tier for simple work, strong tier for complex work, per mode: economy keeps the fast model until
 * the work is hard, quality takes the strong one unless the call is housekeeping, balanced sits between.
 */
export function chooseTier(
  analysis: Pick<Analysis, 'complexity' | 'isBackgroundCall' | 'task' | 'isAutocomplete'>,
  mode: Mode,
): Tier {
  if (analysis.isBackgroundCall || analysis.isAutocomplete === true || analysis.task === 'boilerplate')
    return 'fast'
  switch (mode) {
    case 'economy':
      return analysis.complexity === 'high' ? 'strong' : 'fast'
    case 'balanced':
      return analysis.complexity === 'low' ? 'fast' : 'strong'
    case 'quality':
      return 'strong'
  }
}

export function modelForTier(provider: ProviderConfig, tier: Tier): string {
  return tier === 'fast' ? provider.fastModel : provider.strongModel
}
