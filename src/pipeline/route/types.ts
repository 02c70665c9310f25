import type { ProviderConfig } from '../../config/types.js'
import type { TaskType } from '../analyze/types.js'
import type { EvidencePriors, PriorInfo } from './evidence-priors.js'

/**
 * Where the router's quality term comes from. By default, the evidence priors: the quality of the model a
 * provider would call for the tier, from public benchmarks (evidence-priors.generated.ts). A task whose row
 * the user wrote in smartsplit.json (`routing`) is ranked by that row instead, as provider groups:
 * `[["openrouter"], ["cerebras", "gemini"], …]` reads "OpenRouter > Cerebras = Gemini > …".
 */
export interface RoutingTable {
  rows: Readonly<Partial<Record<TaskType, readonly (readonly string[])[]>>>
  evidence: EvidencePriors
}

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
