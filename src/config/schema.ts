import { z } from 'zod'
import { TASK_TYPES } from '../task-types.js'

// The shape of smartsplit.json: the seed's (`mode`, `free_llm_priority`, `providers.<name>.{model,
// temperature, max_tokens, max_search_results}`) plus base_url, keys, enabled and limits per provider.
// Unknown top-level keys are rejected so a typo does not silently do nothing.

export const MODES = ['economy', 'balanced', 'quality'] as const
export type Mode = (typeof MODES)[number]

const limitsSchema = z
  .object({
    rpm: z.number().int().positive().nullable().optional(),
    rpd: z.number().int().positive().nullable().optional(),
    tpm: z.number().int().positive().nullable().optional(),
    tpd: z.number().int().positive().nullable().optional(),
  })
  .strict()

// A key is a string, or {key, pool}: keys naming the same pool share one quota (one account or project).
const apiKeyEntry = z.union([
  z.string().min(1),
  z
    .object({
      key: z.string().min(1),
      pool: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, . _ : - (up to 64)'),
    })
    .strict(),
])

// Corrections to the catalogue's figures for one model, in plain values.
const modelOverride = z
  .object({
    limits: limitsSchema.optional(),
    context_window: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
    tools: z.boolean().optional(),
    vision: z.boolean().optional(),
    json_mode: z.boolean().optional(),
  })
  .strict()

export const providerConfigSchema = z
  .object({
    enabled: z.boolean().optional(),
    api_key: apiKeyEntry.optional(),
    api_keys: z.array(apiKeyEntry).optional(),
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    dialect: z.enum(['openai', 'anthropic', 'gemini']).optional(),
    model: z.string().min(1).optional(),
    fast_model: z.string().min(1).optional(),
    strong_model: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().positive().optional(),
    max_search_results: z.number().int().min(1).max(50).optional(),
    context_window: z.number().int().positive().optional(),
    account_id: z.string().min(1).optional(),
    limits: limitsSchema.optional(),
    models: z.record(z.string().min(1).max(200), modelOverride).optional(),
  })
  .strict()

export type ProviderConfigInput = z.infer<typeof providerConfigSchema>

// zod drops a "__proto__" key from records without a word: refused here, where the user can see it.
const providersSchema = z.preprocess(
  (value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      ctx.addIssue({
        code: 'custom',
        message: 'not a usable provider name',
        path: ['__proto__'],
        input: value,
      })
    return value
  },
  z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerConfigSchema),
)

// "openrouter", "cerebras = gemini": ranked groups of provider names, best first.
const routingRow = z.array(
  z.string().regex(/^[a-z0-9_-]+(\s*=\s*[a-z0-9_-]+)*$/, 'must be provider names joined by "="'),
)

export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    mode: z.enum(MODES).optional(),
    free_llm_priority: z.array(z.string().min(1)).optional(),
    routing: z.partialRecord(z.enum(TASK_TYPES), routingRow).optional(),
    providers: providersSchema.optional(),
    server: z
      .object({
        host: z.string().min(1).optional(),
        port: z.number().int().min(0).max(65535).optional(),
        body_limit_bytes: z.number().int().positive().optional(),
        // Access keys clients must send (Bearer or x-api-key); required to bind a non-loopback address.
        api_keys: z.array(z.string().min(1)).optional(),
        // Browser origins allowed to call SmartSplit (CORS); none by default, "*" for any.
        cors_origins: z.array(z.string().min(1)).optional(),
        max_messages: z.number().int().positive().optional(),
        // Counts that cost time however few bytes they take (see http/security/request-shape-limits.ts).
        max_content_parts: z.number().int().positive().optional(),
        max_tools: z.number().int().positive().optional(),
        max_tool_properties: z.number().int().positive().optional(),
        max_metadata_keys: z.number().int().positive().optional(),
        max_header_bytes: z.number().int().min(1024).optional(),
        request_timeout_ms: z.number().int().positive().optional(),
        headers_timeout_ms: z.number().int().positive().optional(),
        keep_alive_timeout_ms: z.number().int().positive().optional(),
        // 0 turns the per-client limit off (a load test from one address, a shared gateway).
        max_concurrent_per_client: z.number().int().min(0).optional(),
        shutdown_grace_ms: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    timeouts: z
      .object({
        connect_ms: z.number().int().positive().optional(),
        first_byte_ms: z.number().int().positive().optional(),
        idle_ms: z.number().int().positive().optional(),
        keepalive_ms: z.number().int().positive().optional(),
        autocomplete_first_byte_ms: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    // Each conversation stays on the provider, model and key that answered it (prompt caches survive).
    affinity: z
      .object({
        enabled: z.boolean().optional(),
        idle_minutes: z.number().int().min(1).max(1_440).optional(),
        max_conversations: z.number().int().min(1).max(10_000_000).optional(),
      })
      .strict()
      .optional(),
    embeddings: z
      .object({
        // One model for smartsplit-embed, as "provider/model": an index must never mix vector spaces.
        default_model: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]*\/\S+$/, 'must be "provider/model", e.g. "gemini/gemini-embedding-001"')
          .optional(),
      })
      .strict()
      .optional(),
    // What one upstream answer may send before it counts as malformed (and the next provider is tried).
    upstream_limits: z
      .object({
        max_event_chars: z.number().int().min(1024).optional(),
        max_answer_bytes: z.number().int().min(65_536).optional(),
      })
      .strict()
      .optional(),
    log_level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    store: z.enum(['sqlite', 'memory']).optional(),
    quality_gates: z
      .union([
        z.boolean(),
        z
          .object({
            enabled: z.boolean().optional(),
            max_escalations: z.number().int().min(0).max(10).optional(),
          })
          .strict(),
      ])
      .optional(),
    planner: z.enum(['local', 'llm', 'auto']).optional(),
    search_timeout_ms: z.number().int().positive().optional(),
    retry_budget: z
      .object({
        max_attempts: z.number().int().min(1).max(50).optional(),
        max_wall_ms: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    circuit_breaker: z
      .object({
        failure_threshold: z.number().int().min(1).optional(),
        window_ms: z.number().int().positive().optional(),
        open_ms: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    log_prompts: z.boolean().optional(),
    retention_days: z.number().int().min(1).max(3650).optional(),
    savings: z
      .object({
        reference_model: z.string().min(1).optional(),
        input_per_million: z.number().min(0).optional(),
        output_per_million: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
    data_dir: z.string().min(1).optional(),
    // Several instances (or --workers) sharing quotas, breakers and learning through one Redis.
    state: z
      .object({
        redis_url: z
          .string()
          .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
          .optional(),
        redis_timeout_ms: z.number().int().min(1).max(10_000).optional(),
        redis_namespace: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, . _ : - (up to 64)')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

export type ConfigFile = z.infer<typeof configFileSchema>
