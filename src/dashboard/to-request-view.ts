import type { StoredRequest } from '../state/store/types.js'
import type { RequestView } from './types.js'

/** One request of the store's log as the dashboard lists it. */
export function toRequestView(request: StoredRequest): RequestView {
  const route = request.route === 'enrich' ? 'enrich' : request.tasks.length > 1 ? 'split' : 'single'
  return {
    id: request.id,
    requestId: request.requestId,
    timeMs: request.timeMs,
    endpoint: request.endpoint,
    client: request.client,
    task: request.tasks.join('+') || 'general',
    tasks: request.tasks,
    route,
    mode: request.mode,
    provider: request.provider,
    model: request.model,
    attempts: request.attempts,
    latencyMs: request.latencyMs,
    firstTokenMs: request.firstTokenMs,
    tokensIn: request.tokensIn,
    tokensOut: request.tokensOut,
    tokensEstimated: request.tokensEstimated,
    status: request.status,
    outcome: request.outcome,
    savedUsd: request.savedUsd,
    prompt: request.prompt,
  }
}
