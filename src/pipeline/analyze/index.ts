export { analyzeRequest } from './analyze-request.js'
export { canSplit, splitIntoParts } from './split-parts.js'
export type { Analysis, Complexity, LanguageCode, Part, TaskType } from './types.js'
export { TASK_TYPES } from './types.js'
