import { z } from 'zod'

// The shape of catalog.json (and of a user's <data dir>/catalog.json): every figure a provider publishes
// about its free tier, each with the date it was checked and the page it was read on. A figure the
// provider does not publish is null, with a note saying so; SmartSplit then learns it from rate-limit
// headers and 429s.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
const sourceUrl = z.url({ protocol: /^https$/ })

const figureFields = {
  as_of: isoDate,
  source: sourceUrl,
  note: z.string().min(1).optional(),
  /** `documented`: read on the provider's own page; `reported`: relayed by a third party. */
  confidence: z.enum(['documented', 'reported']).optional(),
}

const count = z.number().int().positive()
const nullNeedsNote = {
  check: (f: { value: unknown; note?: string | undefined }) => f.value !== null || f.note !== undefined,
  message: 'a null figure needs a note saying why',
}

// One published fact: its value (null when unpublished), when it was checked, and where. Written out per
// value type: zod cannot infer the shape of a generic figure<T>().
const countFigure = z
  .object({ value: count.nullable(), ...figureFields })
  .strict()
  .refine(nullNeedsNote.check, nullNeedsNote.message)
const booleanFigure = z
  .object({ value: z.boolean().nullable(), ...figureFields })
  .strict()
  .refine(nullNeedsNote.check, nullNeedsNote.message)
const statusFigure = z
  .object({ value: z.enum(['active', 'deprecated', 'retired']).nullable(), ...figureFields })
  .strict()
  .refine(nullNeedsNote.check, nullNeedsNote.message)

export const limitsFiguresSchema = z
  .object({ rpm: countFigure, rpd: countFigure, tpm: countFigure, tpd: countFigure })
  .strict()

export const TIERS = ['free', 'trial', 'credit', 'paid', 'local'] as const

export const catalogModelSchema = z
  .object({
    status: statusFigure,
    limits: limitsFiguresSchema.optional(),
    context_window: countFigure,
    max_output_tokens: countFigure,
    tools: booleanFigure,
    vision: booleanFigure,
    json_mode: booleanFigure,
  })
  .strict()

/** What SmartSplit assumes of a model whose figure is null: a policy, not a provider's claim. */
const assumedModelInfo = z
  .object({
    context_window: count,
    max_output_tokens: count,
    tools: z.boolean(),
    vision: z.boolean(),
    json_mode: z.boolean(),
  })
  .strict()

const quirksSchema = z
  .object({
    allowed_fields: z.array(z.string().min(1)).optional(),
    drop_fields: z.array(z.string().min(1)).optional(),
    rename_fields: z.record(z.string().min(1), z.string().min(1)).optional(),
    strip_message_fields: z.array(z.string().min(1)).optional(),
    supports_stream_options: z.boolean().optional(),
    max_output_tokens: count.optional(),
    max_temperature: z.number().positive().optional(),
    needs_thought_signatures: z.boolean().optional(),
    short_tool_call_ids: z.boolean().optional(),
    assistant_between_tool_and_user: z.boolean().optional(),
  })
  .strict()

const providerName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/)
const modelId = z.string().min(1).max(200)

/** How the provider's prompt cache meets SmartSplit: what it accepts, and what its limits count. */
const promptCachingSchema = z
  .object({
    /** Whether OpenAI's `prompt_cache_key` request field is accepted (and forwarded). */
    prompt_cache_key: booleanFigure,
    /** Whether tokens read from the cache count against the rate limits and quotas. */
    cached_tokens_count_toward_limits: booleanFigure,
  })
  .strict()

/** A native fill-in-the-middle endpoint (Mistral's Codestral FIM API), relative to base_url. */
const fimSchema = z.object({ model: modelId, path: z.string().startsWith('/'), ...figureFields }).strict()

export const embeddingModelSchema = z
  .object({
    dimensions: countFigure,
    /** Whether a smaller `dimensions` may be asked for (Matryoshka models). */
    flexible_dimensions: booleanFigure,
    /** Most inputs one upstream call may carry. */
    max_batch: countFigure,
  })
  .strict()

/** Free embeddings: which API speaks them, at which base URL when not the chat one, and the models. */
const embeddingsSchema = z
  .object({
    api: z.enum(['openai', 'gemini', 'huggingface']),
    base_url: z
      .string()
      .regex(/^https?:\/\/\S+$/)
      .optional(),
    default_model: modelId,
    models: z.record(modelId, embeddingModelSchema),
  })
  .strict()
  .refine((entry) => Object.hasOwn(entry.models, entry.default_model), {
    message: 'default_model must be one of models',
    path: ['default_model'],
  })

export const catalogProviderSchema = z
  .object({
    display_name: z.string().min(1),
    dialect: z.enum(['openai', 'anthropic', 'gemini']),
    /** `{account_id}` is replaced from the provider's config (Cloudflare). */
    base_url: z.string().regex(/^https?:\/\/\S+$/),
    /** Environment variable holding the key (a comma-separated value gives several keys); null: keyless. */
    key_env: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .nullable(),
    key_url: sourceUrl.or(z.url({ protocol: /^http$/ })),
    /** Path of the model list (GET), relative to base_url; null when the provider offers none. */
    models_path: z.string().startsWith('/').nullable(),
    tier: z.object({ value: z.enum(TIERS), ...figureFields }).strict(),
    /** Who owns the limits: each key, or the account / project every key of it shares. */
    pool_scope: z.object({ value: z.enum(['key', 'account', 'project']), ...figureFields }).strict(),
    /** Whether each model has its own limits, or all models draw from the provider's. */
    limits_per: z.object({ value: z.enum(['model', 'provider']), ...figureFields }).strict(),
    /** False where the provider says separate accounts do not add capacity either (OpenRouter). */
    more_accounts_add_capacity: z
      .object({ value: z.boolean(), ...figureFields })
      .strict()
      .optional(),
    defaults: z.object({ model: modelId, fast_model: modelId, strong_model: modelId }).strict(),
    /** Provider-wide limits (limits_per provider), or those of a model the catalogue does not list. */
    limits: limitsFiguresSchema,
    assumed_model_info: assumedModelInfo,
    models: z.record(modelId, catalogModelSchema),
    quirks: quirksSchema.optional(),
    prompt_caching: promptCachingSchema.optional(),
    fim: fimSchema.optional(),
    embeddings: embeddingsSchema.optional(),
    extra_headers: z.record(z.string().min(1), z.string()).optional(),
  })
  .strict()
  .superRefine((entry, context) => {
    for (const role of ['model', 'fast_model', 'strong_model'] as const) {
      const id = entry.defaults[role]
      if (!Object.hasOwn(entry.models, id)) {
        context.addIssue({ code: 'custom', path: ['defaults', role], message: `${id} is not in models` })
      } else if (entry.models[id]?.status.value === 'retired') {
        context.addIssue({ code: 'custom', path: ['defaults', role], message: `${id} is retired` })
      }
    }
  })

export const catalogFileSchema = z
  .object({
    $comment: z.string().optional(),
    providers: z.record(providerName, catalogProviderSchema),
  })
  .strict()

export type CatalogFile = z.infer<typeof catalogFileSchema>
export type CatalogProviderInput = z.infer<typeof catalogProviderSchema>
export type CatalogModelInput = z.infer<typeof catalogModelSchema>
export type CatalogEmbeddingsInput = z.infer<typeof embeddingsSchema>
export type LimitsFigures = z.infer<typeof limitsFiguresSchema>
export type CatalogFigure = LimitsFigures['rpm']
