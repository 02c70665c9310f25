import type { FakeBehavior } from './fake-openai.js'

// How each OpenAI-compatible provider added for issue 18 answers when it refuses, and the rate-limit
// headers it sends, for fake-openai to reproduce. Sources: each provider's error-code page or a public
// bug report quoting the raw answer (named per entry); where the exact wording is not published, the
// shape is the documented one and the message says so.

export interface ProviderAnswers {
  provider: string
  apiKey: string
  /** Headers on every answer (none: the provider documents none). */
  rateLimitHeaders: Record<string, string>
  /** A 429 as this provider sends it, and the wait it announces. */
  rateLimited(nowMs: number): { behavior: FakeBehavior; cooldownMs: number }
  /** The answer to a model it no longer serves. */
  modelGone(model: string): FakeBehavior
}

export const NEW_PROVIDER_ANSWERS: readonly ProviderAnswers[] = [
  {
    // NVIDIA's API Catalog answers RFC 7807 problem+json (free-claude-code#956, #1021); it documents no
    // rate-limit headers, so the wait is SmartSplit's default 60 s.
    provider: 'nvidia',
    apiKey: 'nvapi-fake-key-000000000000000001',
    rateLimitHeaders: {},
    rateLimited: () => ({
      behavior: {
        kind: 'error',
        status: 429,
        body: { status: 429, title: 'Too Many Requests', detail: 'Too Many Requests' },
      },
      cooldownMs: 60_000,
    }),
    modelGone: () => ({
      kind: 'error',
      status: 404,
      body: {
        status: 404,
        title: 'Not Found',
        detail: "Function '23d4f03a-b8a6-4adb-a183-7daa083a09cc': Not found for account 'Qawmu2vUw3rd'",
      },
    }),
  },
  {
    // SambaNova: OpenAI error shape plus request_id (docs: api-error-codes); x-ratelimit-*-requests and
    // *-requests-day on every answer (docs: rate-limits; the reset format is not published: seconds).
    provider: 'sambanova',
    apiKey: 'sambanova-fake-key-0000000000001',
    rateLimitHeaders: {
      'x-ratelimit-limit-requests': '20',
      'x-ratelimit-remaining-requests': '19',
      'x-ratelimit-reset-requests': '60',
      'x-ratelimit-limit-requests-day': '20',
      'x-ratelimit-remaining-requests-day': '19',
      'x-ratelimit-reset-requests-day': '43200',
    },
    rateLimited: () => ({
      behavior: {
        kind: 'error',
        status: 429,
        headers: {
          'x-ratelimit-limit-requests': '20',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '60',
          'x-ratelimit-limit-requests-day': '20',
          'x-ratelimit-remaining-requests-day': '12',
          'x-ratelimit-reset-requests-day': '43200',
          'retry-after': '9',
        },
        body: {
          error: {
            message: 'Rate limit exceeded for your subscription tier.',
            type: 'rate_limit_exceeded',
            param: null,
            code: 'rate_limit_exceeded',
          },
          request_id: '2a8b3c4d-1234-5678-abcd-ef0123456789',
        },
      },
      cooldownMs: 9_000,
    }),
    modelGone: () => ({
      kind: 'error',
      status: 410,
      body: {
        error: {
          message: 'The requested model is no longer available',
          type: 'invalid_request_error',
          param: 'model',
          code: null,
        },
        request_id: '2a8b3c4d-1234-5678-abcd-ef0123456790',
      },
    }),
  },
  {
    // Z.ai: {"error":{"code":"<business code>","message":…}} (docs: api-code; opencode#9559 and
    // wallbreaker#20 quote 1302 and 1211); no rate-limit headers: concurrency is what it limits.
    provider: 'zai',
    apiKey: 'zai-fake-key.0000000000000001',
    rateLimitHeaders: {},
    rateLimited: () => ({
      behavior: {
        kind: 'error',
        status: 429,
        body: {
          error: {
            code: '1302',
            message:
              'High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits',
          },
        },
      },
      cooldownMs: 60_000,
    }),
    modelGone: () => ({
      kind: 'error',
      status: 400,
      body: { error: { code: '1211', message: 'Unknown Model, please check the model code.' } },
    }),
  },
  {
    // Ollama's OpenAI layer: {"error":{"message","type","param":null,"code":null}} with the type from the
    // status (ollama/openai NewError); its cloud plan limits usage, not requests, and sends no headers.
    provider: 'ollama-cloud',
    apiKey: 'ollama-fake-key-000000000000001',
    rateLimitHeaders: {},
    rateLimited: () => ({
      behavior: {
        kind: 'error',
        status: 429,
        body: {
          error: {
            message: 'you (fake) have reached your session usage limit, please wait or upgrade to continue',
            type: 'rate_limit_error',
            param: null,
            code: null,
          },
        },
      },
      cooldownMs: 60_000,
    }),
    modelGone: (model) => ({
      kind: 'error',
      status: 404,
      body: {
        error: {
          message: `model "${model}" not found, try pulling it first`,
          type: 'not_found_error',
          param: null,
          code: null,
        },
      },
    }),
  },
]
