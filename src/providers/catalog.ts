import { z } from 'zod'
import builtIn from './catalog.json' with { type: 'json' }
import {
  type CatalogFile,
  type CatalogProviderInput,
  catalogFileSchema,
  catalogProviderSchema,
} from './catalog-schema.js'
import { type CatalogEntry, toCatalogEntry } from './to-catalog-entry.js'

export type {
  CatalogEntry,
  EmbeddingModelFacts,
  EmbeddingsFacts,
  FreeTierLimits,
  ModelFacts,
  ModelInfo,
  ModelStatus,
  PoolScope,
  Tier,
} from './to-catalog-entry.js'

// What SmartSplit knows about each provider is data: catalog.json, every figure with the date it was
// checked and the page it was read on, validated here at start-up (and in CI by catalog.test.ts). A
// user extends or corrects it without a release: <data dir>/catalog.json (same shape) or smartsplit.json.

export type Catalog = Readonly<Record<string, CatalogEntry>>

/** Provider names are user text in the config: a null-prototype record makes "constructor" unknown. */
function toCatalog(file: CatalogFile): Catalog {
  const catalog: Record<string, CatalogEntry> = Object.create(null)
  for (const [name, input] of Object.entries(file.providers)) catalog[name] = toCatalogEntry(input)
  return Object.freeze(catalog)
}

export const BUILT_IN_CATALOG_FILE: CatalogFile = catalogFileSchema.parse(builtIn)
export const CATALOG: Catalog = toCatalog(BUILT_IN_CATALOG_FILE)

/** A user's catalogue: whole new providers, or fields and models of a known one to replace. */
export const catalogOverlaySchema = z
  .object({
    $comment: z.string().optional(),
    providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), z.record(z.string(), z.unknown())),
  })
  .strict()

export type CatalogOverlay = z.infer<typeof catalogOverlaySchema>

/**
 * The built-in catalogue with a user's overlay applied: a provider's fields are replaced one by one and
 * its models merged by id; every resulting entry is validated again. Throws a ZodError naming the field.
 */
export function applyCatalogOverlay(overlay: CatalogOverlay): Catalog {
  const providers: Record<string, CatalogProviderInput> = { ...BUILT_IN_CATALOG_FILE.providers }
  for (const [name, patch] of Object.entries(overlay.providers)) {
    const base = Object.hasOwn(providers, name) ? providers[name] : undefined
    const patchModels = patch.models
    const merged = {
      ...base,
      ...patch,
      models: {
        ...base?.models,
        ...(patchModels !== null && typeof patchModels === 'object' ? patchModels : {}),
      },
    }
    const parsed = catalogProviderSchema.safeParse(merged)
    if (!parsed.success) {
      throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })))
    }
    providers[name] = parsed.data
  }
  return toCatalog({ providers })
}

/**
 * The default order of free providers: recurring free tiers first, then trial and credit-based ones
 * (Cerebras's trial credit and NVIDIA's trial access run out; a free tier comes back every day).
 */
export const DEFAULT_FREE_PRIORITY = [
  'groq',
  'gemini',
  'openrouter',
  'mistral',
  'sambanova',
  'zai',
  'ollama-cloud',
  'cloudflare',
  'cerebras',
  'nvidia',
  'huggingface',
  'local',
] as const

/** Search providers are configured like LLM providers but never chat. */
export const SEARCH_KEY_ENV: Readonly<Record<string, string>> = {
  serper: 'SERPER_API_KEY',
  tavily: 'TAVILY_API_KEY',
  brave: 'BRAVE_API_KEY',
}
