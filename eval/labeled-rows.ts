import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { TASK_TYPES } from '../src/pipeline/analyze/index.js'

const Label = z.enum(TASK_TYPES)

/** One labeled prompt (README of eval/data/dev.README.md). Train-style rows carry no complexity. */
export const LabeledRow = z.object({
  id: z.string(),
  prompt: z.string(),
  task: Label,
  complexity: z.enum(['low', 'medium', 'high']).optional(),
  parts: z.array(z.object({ task: Label, text: z.string() })).nullable(),
  source: z.string().default(''),
  tags: z.array(z.string()).default([]),
})
export type LabeledRow = z.infer<typeof LabeledRow>

/** A training row: the label and the text, nothing else. */
export const TrainingRow = z.object({ task: Label, text: z.string().min(1), source: z.string().optional() })
export type TrainingRow = z.infer<typeof TrainingRow>

export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`)
      return parsed.data
    })
}

/** The language a row is in: its `non_english:<lang>` tag, else English. */
export function languageOf(row: Pick<LabeledRow, 'tags'>): string {
  const tag = row.tags.find((t) => t.startsWith('non_english:'))
  return tag === undefined ? 'en' : tag.slice('non_english:'.length)
}

/**
 * The style of a prompt, read the same way in every split: multi-part, hard negative, or by length
 * (short < 200 characters: chat questions; 200–800: a paragraph; longer: multi-paragraph tasks).
 */
export function styleOf(row: Pick<LabeledRow, 'prompt' | 'parts' | 'tags'>): string {
  if (row.parts !== null) return 'multi-part'
  if (row.tags.includes('hard_negative')) return 'hard negative'
  if (row.prompt.length < 200) return 'short'
  return row.prompt.length < 800 ? 'paragraph' : 'long'
}

/** Training files: the committed own prompts and any public prompts prepared locally (not committed). */
export function trainingFiles(dataDir: string): string[] {
  const external = join(dataDir, 'external')
  const local = existsSync(external)
    ? readdirSync(external)
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .map((name) => join(external, name))
    : []
  return [join(dataDir, 'train.jsonl'), ...local]
}
