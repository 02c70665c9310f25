import type { ProviderConfig } from '../../config/types.js'
import type { TaskType } from '../analyze/types.js'

/**
 * Which provider is best at what, as ranked groups: `[["openrouter"], ["cerebras", "gemini"], …]` reads
 * "OpenRouter > Cerebras = Gemini > …". The seed's table; every row can be overridden in smartsplit.json
 * with strings like "cerebras = gemini".
 */
export type RoutingTable = Readonly<Record<TaskType, readonly (readonly string[])[]>>

/** One concrete way to answer: a provider, a model on it and one of its keys. */
export interface Candidate {
  provider: ProviderConfig
  model: string
  apiKey: string | null
  /** Why this candidate is where it is in the chain, for logs and /v1/plan. */
  reason: string
}
