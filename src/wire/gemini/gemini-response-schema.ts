import { z } from 'zod'

// One GenerateContentResponse, as each `data:` event of streamGenerateContent?alt=sse carries it.
// Loose objects: Google adds fields (safetyRatings, citationMetadata, groundingMetadata…) without notice,
// and those must not break a stream. Only what the translator reads is typed.

const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      name: z.string(),
      args: z.record(z.string(), z.unknown()).nullish(),
    })
    .optional(),
})

const candidateSchema = z.looseObject({
  content: z.looseObject({ parts: z.array(partSchema).nullish(), role: z.string().nullish() }).nullish(),
  finishReason: z.string().nullish(),
  index: z.number().int().nonnegative().nullish(),
})

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  totalTokenCount: z.number().nullish(),
})

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: geminiUsageSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
})

export type GeminiResponse = z.infer<typeof geminiResponseSchema>
export type GeminiUsage = z.infer<typeof geminiUsageSchema>
export type GeminiResponsePart = z.infer<typeof partSchema>
