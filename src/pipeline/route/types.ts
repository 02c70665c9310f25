import type { ProviderConfig } from '../../config/types.js'
import type { PriorInfo } from './evidence-priors.js'

/** One concrete way to answer: a provider, a model on it and one of its keys. */
export interface Candidate {
  provider: ProviderConfig
  model: string
  apiKey: string | null
  /** Why this candidate is where it is in the chain, for logs and /v1/plan. */
  reason: string
  /** The quality prior it was ranked with and where it came from; null when pinned by the request. */
  prior: PriorInfo | null
}
