// What the fake Gemini says: Google RPC error bodies and GenerateContentResponse events built from a script.

/**
 * How a streamed answer is framed. Default SSE; `json-array` is what streamGenerateContent sends without
 * `alt=sse` (as behind a proxy that drops the query), `json-object` the one folded generateContent body.
 */
type Framing = { framing?: 'json-array' | 'json-object' }

export type GeminiScript =
  | ({
      type: 'text'
      chunks: string[]
      /** Thought summaries sent first, as `thought: true` parts. */
      thoughts?: string[]
      finishReason?: string
      /** Cut the connection after this many events, without a finishReason. */
      dropAfterEvents?: number
    } & Framing)
  | ({
      type: 'functionCalls'
      calls: { name: string; args: Record<string, unknown>; thoughtSignature?: string }[]
      text?: string
    } & Framing)
  | { type: 'blocked'; blockReason?: string }
  | { type: 'rateLimit'; window: 'minute' | 'day'; retryDelay?: string }
  | { type: 'error'; status: number; googleStatus: string; message: string }
  /** Bytes as given, e.g. a recorded fixture. */
  | { type: 'raw'; status: number; body: string; contentType?: string }

export function googleError(
  status: number,
  googleStatus: string,
  message: string,
  details?: unknown[],
): string {
  const error =
    details === undefined
      ? { code: status, message, status: googleStatus }
      : { code: status, message, status: googleStatus, details }
  return `${JSON.stringify({ error }, null, 2)}\n`
}

export function rateLimitBody(window: 'minute' | 'day', model: string, retryDelay: string): string {
  const quotaId =
    window === 'day'
      ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'
      : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier'
  const limit = window === 'day' ? 20 : 10
  return googleError(
    429,
    'RESOURCE_EXHAUSTED',
    `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: ${limit}, model: ${model}\nPlease retry in ${retryDelay}.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [
          {
            description: 'Learn more about Gemini API quotas',
            url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
          },
        ],
      },
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
            quotaId,
            quotaDimensions: { location: 'global', model },
            quotaValue: String(limit),
          },
        ],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
    ],
  )
}

export function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/** The GenerateContentResponse events a script produces, usage cumulative on each. */
export function toEvents(
  script: GeminiScript,
  model: string,
  promptTokens: number,
  responseId: string,
  sign: () => string,
): unknown[] {
  type Part = Record<string, unknown>
  const steps: { parts: Part[]; outputTokens: number; thoughtTokens: number }[] = []
  let finishReason = 'STOP'
  if (script.type === 'text') {
    for (const thought of script.thoughts ?? [])
      steps.push({
        parts: [{ text: thought, thought: true }],
        outputTokens: 0,
        thoughtTokens: tokens(thought),
      })
    for (const chunk of script.chunks)
      steps.push({ parts: [{ text: chunk }], outputTokens: tokens(chunk), thoughtTokens: 0 })
    finishReason = script.finishReason ?? 'STOP'
  } else if (script.type === 'functionCalls') {
    if (script.text !== undefined)
      steps.push({ parts: [{ text: script.text }], outputTokens: tokens(script.text), thoughtTokens: 0 })
    const parts = script.calls.map((call, i): Part => {
      const signature = call.thoughtSignature ?? (i === 0 ? sign() : undefined)
      return signature === undefined
        ? { functionCall: { name: call.name, args: call.args } }
        : { functionCall: { name: call.name, args: call.args }, thoughtSignature: signature }
    })
    steps.push({ parts, outputTokens: 10 * parts.length, thoughtTokens: 0 })
  } else if (script.type === 'blocked') {
    return [
      {
        promptFeedback: { blockReason: script.blockReason ?? 'SAFETY' },
        usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
        modelVersion: model,
        responseId,
      },
    ]
  }
  let output = 0
  let thoughts = 0
  return steps.map((step, i) => {
    output += step.outputTokens
    thoughts += step.thoughtTokens
    const candidate: Record<string, unknown> = { content: { parts: step.parts, role: 'model' }, index: 0 }
    if (i === steps.length - 1) candidate.finishReason = finishReason
    const usageMetadata: Record<string, unknown> = {
      promptTokenCount: promptTokens,
      totalTokenCount: promptTokens + output + thoughts,
    }
    if (output > 0) usageMetadata.candidatesTokenCount = output
    if (thoughts > 0) usageMetadata.thoughtsTokenCount = thoughts
    return { candidates: [candidate], usageMetadata, modelVersion: model, responseId }
  })
}

/** generateContent answers once: the stream's events folded into one response. */
export function foldEvents(events: unknown[]): unknown {
  type Event = { candidates?: { content: { parts: unknown[] }; finishReason?: string }[] }
  const all = events as Event[]
  const last = all.at(-1) as Record<string, unknown> & Event
  if (last?.candidates === undefined) return last
  const parts = all.flatMap((e) => e.candidates?.[0]?.content.parts ?? [])
  const first = last.candidates[0]
  return { ...last, candidates: [{ ...first, content: { parts, role: 'model' } }] }
}
