import type { Dialect, ProviderQuirks } from './types.js'

// What SmartSplit knows about each provider, as data. Adding an OpenAI-compatible provider is one entry
// here (or a `base_url` in smartsplit.json). Limits and default models drift every few months: they are
// defaults, every one of them overridable in configuration.

export interface ModelInfo {
  contextWindow: number
  maxOutputTokens: number
  supportsTools: boolean
  supportsVision: boolean
  supportsJsonMode: boolean
}

export interface FreeTierLimits {
  rpm: number | null
  rpd: number | null
  tpm: number | null
  tpd: number | null
}

export interface CatalogEntry {
  dialect: Dialect
  /** `{account_id}` is replaced from the provider's config (Cloudflare). */
  baseUrl: string
  tier: 'free' | 'paid' | 'local'
  /** Environment variables holding the key; a comma-separated value gives several keys. */
  keyEnv: string | null
  /** Where a user gets a key, printed on first run. */
  keyUrl: string
  model: string
  fastModel: string
  strongModel: string
  modelInfo: ModelInfo
  quirks: ProviderQuirks
  limits: FreeTierLimits
  extraHeaders?: Record<string, string>
}

const OPENAI_LIKE: ModelInfo = {
  contextWindow: 131_072,
  maxOutputTokens: 32_768,
  supportsTools: true,
  supportsVision: false,
  supportsJsonMode: true,
}

// Mistral's request schema has additionalProperties:false: any field outside this list is a 422.
const MISTRAL_FIELDS = [
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'stream',
  'stop',
  'random_seed',
  'response_format',
  'tools',
  'tool_choice',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'prediction',
  'parallel_tool_calls',
  'safe_prompt',
] as const

export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  cerebras: {
    dialect: 'openai',
    baseUrl: 'https://api.cerebras.ai/v1',
    tier: 'free',
    keyEnv: 'CEREBRAS_API_KEY',
    keyUrl: 'https://cloud.cerebras.ai',
    model: 'gpt-oss-120b',
    fastModel: 'gpt-oss-120b',
    strongModel: 'gpt-oss-120b',
    // The free tier caps context at 65K.
    modelInfo: { ...OPENAI_LIKE, contextWindow: 65_536 },
    quirks: { maxOutputTokens: 32_768 },
    limits: { rpm: 30, rpd: 14_400, tpm: 60_000, tpd: 1_000_000 },
  },
  groq: {
    dialect: 'openai',
    baseUrl: 'https://api.groq.com/openai/v1',
    tier: 'free',
    keyEnv: 'GROQ_API_KEY',
    keyUrl: 'https://console.groq.com/keys',
    model: 'openai/gpt-oss-120b',
    fastModel: 'llama-3.1-8b-instant',
    strongModel: 'openai/gpt-oss-120b',
    modelInfo: OPENAI_LIKE,
    quirks: { maxOutputTokens: 32_768 },
    limits: { rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 },
  },
  gemini: {
    dialect: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    tier: 'free',
    keyEnv: 'GEMINI_API_KEY',
    keyUrl: 'https://aistudio.google.com/apikey',
    model: 'gemini-2.5-flash',
    fastModel: 'gemini-2.5-flash-lite',
    strongModel: 'gemini-2.5-pro',
    modelInfo: { ...OPENAI_LIKE, contextWindow: 1_048_576, maxOutputTokens: 65_536, supportsVision: true },
    quirks: { maxOutputTokens: 65_536, needsThoughtSignatures: true },
    limits: { rpm: 10, rpd: 250, tpm: 250_000, tpd: null },
  },
  openrouter: {
    dialect: 'openai',
    baseUrl: 'https://openrouter.ai/api/v1',
    tier: 'free',
    keyEnv: 'OPENROUTER_API_KEY',
    keyUrl: 'https://openrouter.ai/keys',
    model: 'openrouter/free',
    fastModel: 'meta-llama/llama-3.3-70b-instruct:free',
    strongModel: 'openrouter/free',
    modelInfo: OPENAI_LIKE,
    quirks: { maxOutputTokens: 16_384 },
    limits: { rpm: 20, rpd: 50, tpm: null, tpd: null },
    // Attribution headers only affect OpenRouter's leaderboard.
    extraHeaders: { 'HTTP-Referer': 'https://github.com/smartsplit/smartsplit', 'X-Title': 'SmartSplit' },
  },
  mistral: {
    dialect: 'openai',
    baseUrl: 'https://api.mistral.ai/v1',
    tier: 'free',
    keyEnv: 'MISTRAL_API_KEY',
    keyUrl: 'https://console.mistral.ai/api-keys',
    model: 'mistral-small-latest',
    fastModel: 'mistral-small-latest',
    strongModel: 'mistral-medium-latest',
    modelInfo: { ...OPENAI_LIKE, supportsVision: true },
    // Mistral answers 422 to unknown fields such as stream_options, and caps temperature at 1.5.
    quirks: {
      allowedFields: MISTRAL_FIELDS,
      renameFields: { max_completion_tokens: 'max_tokens', seed: 'random_seed' },
      stripMessageFields: ['name'],
      supportsStreamOptions: false,
      maxOutputTokens: 32_768,
      maxTemperature: 1.5,
      shortToolCallIds: true,
    },
    limits: { rpm: 60, rpd: null, tpm: 500_000, tpd: null },
  },
  huggingface: {
    dialect: 'openai',
    baseUrl: 'https://router.huggingface.co/v1',
    tier: 'free',
    keyEnv: 'HF_TOKEN',
    keyUrl: 'https://huggingface.co/settings/tokens',
    model: 'openai/gpt-oss-120b',
    fastModel: 'openai/gpt-oss-20b',
    strongModel: 'openai/gpt-oss-120b',
    modelInfo: OPENAI_LIKE,
    quirks: { maxOutputTokens: 16_384 },
    limits: { rpm: null, rpd: null, tpm: null, tpd: null },
  },
  cloudflare: {
    dialect: 'openai',
    baseUrl: 'https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/v1',
    tier: 'free',
    keyEnv: 'CLOUDFLARE_API_KEY',
    keyUrl: 'https://dash.cloudflare.com/profile/api-tokens',
    model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
    fastModel: '@cf/meta/llama-3.1-8b-instruct',
    strongModel: '@cf/openai/gpt-oss-120b',
    modelInfo: { ...OPENAI_LIKE, contextWindow: 24_000, maxOutputTokens: 4_096 },
    quirks: { maxOutputTokens: 4_096 },
    limits: { rpm: 300, rpd: null, tpm: null, tpd: null },
  },
  local: {
    dialect: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    tier: 'local',
    keyEnv: null,
    keyUrl: 'https://ollama.com',
    model: 'llama3.1',
    fastModel: 'llama3.1',
    strongModel: 'llama3.1',
    modelInfo: { ...OPENAI_LIKE, contextWindow: 32_768, maxOutputTokens: 8_192 },
    quirks: {},
    limits: { rpm: null, rpd: null, tpm: null, tpd: null },
  },
  deepseek: {
    dialect: 'openai',
    baseUrl: 'https://api.deepseek.com/v1',
    tier: 'paid',
    keyEnv: 'DEEPSEEK_API_KEY',
    keyUrl: 'https://platform.deepseek.com/api_keys',
    model: 'deepseek-chat',
    fastModel: 'deepseek-chat',
    strongModel: 'deepseek-reasoner',
    modelInfo: { ...OPENAI_LIKE, maxOutputTokens: 8_192 },
    quirks: { maxOutputTokens: 8_192 },
    limits: { rpm: null, rpd: null, tpm: null, tpd: null },
  },
  openai: {
    dialect: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    tier: 'paid',
    keyEnv: 'OPENAI_API_KEY',
    keyUrl: 'https://platform.openai.com/api-keys',
    model: 'gpt-4o-mini',
    fastModel: 'gpt-4o-mini',
    strongModel: 'gpt-4o',
    modelInfo: { ...OPENAI_LIKE, contextWindow: 128_000, maxOutputTokens: 16_384, supportsVision: true },
    quirks: { maxOutputTokens: 16_384 },
    limits: { rpm: null, rpd: null, tpm: null, tpd: null },
  },
  anthropic: {
    dialect: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    tier: 'paid',
    keyEnv: 'ANTHROPIC_API_KEY',
    keyUrl: 'https://console.anthropic.com/settings/keys',
    model: 'claude-haiku-4-5',
    fastModel: 'claude-haiku-4-5',
    strongModel: 'claude-sonnet-4-5',
    modelInfo: { ...OPENAI_LIKE, contextWindow: 200_000, maxOutputTokens: 64_000, supportsVision: true },
    quirks: { maxOutputTokens: 64_000, maxTemperature: 1 },
    limits: { rpm: null, rpd: null, tpm: null, tpd: null },
  },
}

/** The seed's default order for free providers. */
export const DEFAULT_FREE_PRIORITY = [
  'cerebras',
  'groq',
  'gemini',
  'openrouter',
  'mistral',
  'huggingface',
  'cloudflare',
  'local',
] as const

/** Search providers are configured like LLM providers but never chat. */
export const SEARCH_KEY_ENV: Readonly<Record<string, string>> = {
  serper: 'SERPER_API_KEY',
  tavily: 'TAVILY_API_KEY',
  brave: 'BRAVE_API_KEY',
}
