/**
 * The task families SmartSplit routes on: what the analyzer labels, what routing rows in the config are
 * keyed by. Order matters: it is the row order of the analyzer's model weights.
 */
export const TASK_TYPES = [
  'code',
  'reasoning',
  'math',
  'summarize',
  'translation',
  'web_search',
  'boilerplate',
  'general',
] as const

export type TaskType = (typeof TASK_TYPES)[number]
