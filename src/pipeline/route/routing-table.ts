import type { TaskType } from '../analyze/types.js'
import type { RoutingTable } from './types.js'

export type { RoutingTable } from './types.js'

const parse = (row: readonly string[]): string[][] =>
  row.map((group) => group.split('=').map((name) => name.trim()))

export const DEFAULT_ROUTING_ROWS: Readonly<Record<TaskType, readonly string[]>> = {
  code: ['openrouter', 'cerebras = gemini', 'groq = huggingface'],
  reasoning: ['cerebras', 'gemini = openrouter', 'groq'],
  summarize: ['cerebras', 'groq = gemini = mistral = openrouter'],
  translation: ['mistral', 'gemini', 'groq = cerebras'],
  boilerplate: ['cerebras = groq', 'gemini = mistral = openrouter'],
  math: ['openrouter = gemini', 'cerebras', 'groq'],
  general: ['cerebras', 'gemini = openrouter', 'groq = mistral'],
  // Enrich answers with the best summarize/general model once the search results are in.
  web_search: ['cerebras', 'gemini = openrouter', 'groq = mistral'],
}

/** Providers tried after every ranked one, whatever the task. */
export const BACKUP_PROVIDERS = ['huggingface', 'cloudflare'] as const

export function buildRoutingTable(
  overrides: Partial<Record<TaskType, readonly string[]>> = {},
): RoutingTable {
  const rows = { ...DEFAULT_ROUTING_ROWS, ...overrides }
  return Object.fromEntries(
    Object.entries(rows).map(([task, row]) => [task, parse(row)]),
  ) as unknown as RoutingTable
}

/**
 * A 0..1 quality prior for a provider on a task, from its rank in the table: the first group scores 1,
 * each later group less, backups and unlisted providers least.
 */
export function qualityPrior(table: RoutingTable, task: TaskType, provider: string): number {
  const row = table[task]
  const rank = row.findIndex((group) => group.includes(provider))
  if (rank === -1) return (BACKUP_PROVIDERS as readonly string[]).includes(provider) ? 0.3 : 0.4
  return 1 - (0.5 * rank) / Math.max(1, row.length)
}
