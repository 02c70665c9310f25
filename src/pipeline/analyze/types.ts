import type { TaskType } from '../../task-types.js'

export { TASK_TYPES, type TaskType } from '../../task-types.js'

/**
 * What a request is routed and reported as: its task, or `autocomplete` for a legacy completion (POST
 * /v1/completions), which is latency first and learned apart while judged by the code evidence.
 */
export type RouteTask = TaskType | 'autocomplete'

export type Complexity = 'low' | 'medium' | 'high'

/** ISO 639-1 codes of the natural languages seen in the last user turn (best guess, dominant first). */
export type LanguageCode = 'en' | 'fr' | 'es' | 'de' | 'it' | 'pt' | 'nl' | 'zh' | 'ja' | 'ko' | 'ru' | 'ar'

export interface Analysis {
  task: TaskType
  complexity: Complexity
  /** True when the answer depends on fresh facts (task is web_search). */
  needsWeb: boolean
  /** Tools offered, tool results in history, or a coding-agent system prompt. */
  isAgentic: boolean
  /** An agent's housekeeping call (title generation, conversation compaction), not the user's work. */
  isBackgroundCall: boolean
  /** A legacy completion (an editor's autocomplete): routed as `autocomplete`, its task is `code`. */
  isAutocomplete?: boolean
  languages?: LanguageCode[]
  /** Rough count (characters / 4) over the whole request, tools included. */
  estimatedPromptTokens: number
  /** Short human-readable notes on why the analyzer decided what it did. */
  reasons: string[]
}

/** One separately requested deliverable of a multi-part prompt. */
export interface Part {
  task: TaskType
  text: string
  complexity: Complexity
  /** Indexes of earlier parts whose answers this part works on ("…then translate your explanation"). */
  dependsOn?: number[]
}
