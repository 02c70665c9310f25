import type { Analysis, RouteTask } from './types.js'

/** The task a request is routed, learned and reported as. */
export function routeTaskOf(analysis: Pick<Analysis, 'task' | 'isAutocomplete'>): RouteTask {
  return analysis.isAutocomplete === true ? 'autocomplete' : analysis.task
}
