// Gemini generativelanguage v1beta shapes as SmartSplit sends them. Responses arrive as unknown JSON and
// are read through the zod schemas in gemini-response-schema.ts; these request types are what we build.

import type { JsonObject } from '../openai/types.js'

export interface GeminiTextPart {
  text: string
  thought?: boolean
  thoughtSignature?: string
}

export interface GeminiInlineDataPart {
  inlineData: { mimeType: string; data: string }
}

export interface GeminiFileDataPart {
  fileData: { mimeType: string; fileUri: string }
}

export interface GeminiFunctionCallPart {
  functionCall: { name: string; args: JsonObject }
  /** Gemini 3 rejects a model turn whose first functionCall comes back without the signature it was sent with. */
  thoughtSignature?: string
}

export interface GeminiFunctionResponsePart {
  functionResponse: { name: string; response: JsonObject }
}

export type GeminiPart =
  | GeminiTextPart
  | GeminiInlineDataPart
  | GeminiFileDataPart
  | GeminiFunctionCallPart
  | GeminiFunctionResponsePart

/** Gemini knows two roles only: tool results travel in `user` turns. */
export interface GeminiContent {
  role: 'user' | 'model'
  parts: GeminiPart[]
}

/** The OpenAPI 3.0 subset Gemini accepts in `parameters` and `responseSchema`. */
export interface GeminiSchema {
  type?: string
  format?: string
  description?: string
  nullable?: boolean
  enum?: string[]
  items?: GeminiSchema
  properties?: Record<string, GeminiSchema>
  required?: string[]
  anyOf?: GeminiSchema[]
  propertyOrdering?: string[]
  minItems?: number
  maxItems?: number
  minProperties?: number
  maxProperties?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
}

export interface GeminiFunctionDeclaration {
  name: string
  description?: string
  parameters?: GeminiSchema
}

export interface GeminiTool {
  functionDeclarations: GeminiFunctionDeclaration[]
}

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED'

export interface GeminiToolConfig {
  functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] }
}

export interface GeminiGenerationConfig {
  temperature?: number
  topP?: number
  maxOutputTokens?: number
  stopSequences?: string[]
  candidateCount?: number
  seed?: number
  responseMimeType?: string
  responseSchema?: GeminiSchema
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[]
  systemInstruction?: { parts: GeminiTextPart[] }
  tools?: GeminiTool[]
  toolConfig?: GeminiToolConfig
  generationConfig?: GeminiGenerationConfig
}
