import { InvalidRequestError } from '../../errors.js'
import type {
  AssistantMessage,
  ChatMessage,
  ContentPart,
  JsonObject,
  MessageContent,
  ToolCall,
} from '../openai/types.js'
import { toGeminiMediaPart } from './to-gemini-media-part.js'
import { decodeToolCallId } from './tool-call-id.js'
import type { GeminiContent, GeminiFunctionCallPart, GeminiPart, GeminiTextPart } from './types.js'

export interface GeminiConversation {
  systemInstruction?: { parts: GeminiTextPart[] }
  contents: GeminiContent[]
}

export interface ToGeminiContentsOptions {
  /**
   * Signature for a model turn whose calls carry none (history from another provider, or ids a client
   * rewrote). Gemini 3 needs one on the first call of each step; pass SKIP_THOUGHT_SIGNATURE_VALIDATOR.
   */
  fallbackThoughtSignature?: string
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function textOf(content: MessageContent | null | undefined): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content.map((part) => readPartText(part)).join('')
}

/** The text of a text or refusal part; '' for anything else. */
function readPartText(part: ContentPart): string {
  const record = part as Record<string, unknown>
  const text = part.type === 'refusal' ? record.refusal : record.text
  return typeof text === 'string' ? text : ''
}

/** User or assistant content → parts; empty text parts are never sent (Gemini rejects empty `text`). */
function toParts(content: MessageContent | null | undefined, param: string): GeminiPart[] {
  if (content === null || content === undefined) return []
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }]
  const parts: GeminiPart[] = []
  content.forEach((part, index) => {
    if (part.type === 'text' || part.type === 'refusal') {
      const text = readPartText(part)
      if (text !== '') parts.push({ text })
    } else {
      parts.push(toGeminiMediaPart(part, `${param}.content[${index}]`))
    }
  })
  return parts
}

/** Google's own OpenAI-compatible endpoint carries the signature as `extra_content.google.thought_signature`. */
function readExtraContentSignature(call: ToolCall): string | undefined {
  const extra: unknown = (call as unknown as Record<string, unknown>).extra_content
  const google = isObject(extra) ? extra.google : undefined
  const signature = isObject(google) ? google.thought_signature : undefined
  return typeof signature === 'string' && signature !== '' ? signature : undefined
}

/** Gemini needs an object; a model's broken arguments are still passed on rather than failing the turn. */
function parseArguments(raw: string): JsonObject {
  if (raw.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    return isObject(parsed) ? parsed : { value: parsed }
  } catch {
    return { arguments: raw }
  }
}

function toModelParts(
  message: AssistantMessage,
  param: string,
  options: ToGeminiContentsOptions,
): GeminiPart[] {
  const parts = toParts(message.content, param)
  const calls: GeminiFunctionCallPart[] = (message.tool_calls ?? []).map((call) => {
    const part: GeminiFunctionCallPart = {
      functionCall: { name: call.function.name, args: parseArguments(call.function.arguments) },
    }
    const signature = readExtraContentSignature(call) ?? decodeToolCallId(call.id).thoughtSignature
    if (signature !== null && signature !== undefined) part.thoughtSignature = signature
    return part
  })
  // Parallel calls: Gemini signs only the first one, so only an unsigned first call needs the fallback.
  const first = calls[0]
  const isStepUnsigned = first !== undefined && calls.every((call) => call.thoughtSignature === undefined)
  if (isStepUnsigned && options.fallbackThoughtSignature !== undefined) {
    first.thoughtSignature = options.fallbackThoughtSignature
  }
  return [...parts, ...calls]
}

/** Tool output → functionResponse.response, which must be a JSON object: anything else is `{result}`. */
function toResponseObject(content: MessageContent): JsonObject {
  const text = textOf(content)
  try {
    const parsed: unknown = JSON.parse(text)
    return isObject(parsed) ? parsed : { result: parsed }
  } catch {
    return { result: text }
  }
}

/**
 * OpenAI messages → Gemini `systemInstruction` + `contents`. system/developer messages (wherever they
 * are) join the system instruction; assistant → `model`; tool results → `user` turns of functionResponse
 * parts, consecutive results sharing one turn, named after the call they answer (OpenAI's `tool`
 * message carries only the id).
 */
export function toGeminiContents(
  messages: ChatMessage[],
  options: ToGeminiContentsOptions = {},
): GeminiConversation {
  const systemParts: GeminiTextPart[] = []
  const contents: GeminiContent[] = []
  const callNames = new Map<string, string>()
  let toolTurn: GeminiContent | null = null

  messages.forEach((message, index) => {
    const param = `messages[${index}]`
    if (message.role !== 'tool' && message.role !== 'function') toolTurn = null
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content)
        if (text !== '') systemParts.push({ text })
        return
      }
      case 'user': {
        const parts = toParts(message.content, param)
        if (parts.length > 0) contents.push({ role: 'user', parts })
        return
      }
      case 'assistant': {
        const assistant = message as AssistantMessage
        for (const call of assistant.tool_calls ?? []) callNames.set(call.id, call.function.name)
        const parts = toModelParts(assistant, param, options)
        if (parts.length > 0) contents.push({ role: 'model', parts })
        return
      }
      case 'tool':
      case 'function': {
        const name = message.role === 'tool' ? callNames.get(message.tool_call_id) : message.name
        if (name === undefined) {
          const id = message.role === 'tool' ? message.tool_call_id : ''
          throw new InvalidRequestError(`No assistant tool call has the id "${id}".`, {
            param: `${param}.tool_call_id`,
          })
        }
        const part: GeminiPart = {
          functionResponse: { name, response: toResponseObject(message.content ?? '') },
        }
        if (toolTurn === null) {
          toolTurn = { role: 'user', parts: [] }
          contents.push(toolTurn)
        }
        toolTurn.parts.push(part)
        return
      }
    }
  })
  return systemParts.length > 0 ? { systemInstruction: { parts: systemParts }, contents } : { contents }
}
