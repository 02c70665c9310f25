import type { TaskType } from '../../src/pipeline/analyze/types.js'

/**
 * The hand-written provider table SmartSplit routed by before the evidence priors (0.1.0), kept as a
 * user's `routing` rows: the "before" of the routing replay, and the prior of the learning scenario,
 * whose simulated providers were written against it.
 */
export const HAND_RANKED_ROWS: Readonly<Record<TaskType, readonly string[]>> = {
  code: ['openrouter', 'cerebras = gemini', 'groq = huggingface'],
  reasoning: ['cerebras', 'gemini = openrouter', 'groq'],
  summarize: ['cerebras', 'groq = gemini = mistral = openrouter'],
  translation: ['mistral', 'gemini', 'groq = cerebras'],
  boilerplate: ['cerebras = groq', 'gemini = mistral = openrouter'],
  math: ['openrouter = gemini', 'cerebras', 'groq'],
  general: ['cerebras', 'gemini = openrouter', 'groq = mistral'],
  web_search: ['cerebras', 'gemini = openrouter', 'groq = mistral'],
}
