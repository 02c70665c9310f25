/** The task an embeddings request is reported as: counted, but neither priced as chat nor learned from. */
export const EMBEDDINGS_TASK = 'embeddings'

/** One finished request as the pipeline reports it to metrics, the store and the learner. */
export interface RequestFinished {
  /** The request's x-request-id; null when the request did not come over HTTP. */
  requestId: string | null
  timeMs: number
  path: string
  route: 'respond' | 'enrich'
  mode: string
  tasks: string[]
  provider: string | null
  model: string | null
  isPaid: boolean
  /** Every call made or passed over, each with the tokens it consumed itself. */
  attempts: {
    provider: string
    model: string
    keyIndex: number
    outcome: string
    latencyMs: number
    tokensIn: number
    tokensOut: number
    /** Prompt tokens read from the provider's prompt cache (part of tokensIn). */
    tokensCached: number
  }[]
  /** The sum over the request's calls (parts, synthesis, replaced answers). */
  tokensIn: number
  tokensOut: number
  tokensCached: number
  tokensEstimated: boolean
  latencyMs: number
  firstTokenMs: number | null
  /** SmartSplit's own time before the first upstream call (parse, analyze, route). */
  overheadMs: number
  outcome: 'ok' | 'error' | 'client_gone'
  /** What conversation affinity did; null where it does not apply (parts, background calls, pinned models). */
  affinity: { decision: 'new' | 'kept' | 'moved'; reason: string | null } | null
  qualityPassed: boolean
  /** Only with log_prompts: true. */
  prompt: string | null
}
