import type { ChatRequest } from '../../wire/openai/types.js'

export interface RequiredCapabilities {
  tools: boolean
  vision: boolean
  jsonMode: boolean
  /** Prompt tokens plus the output budget the model must fit. */
  contextTokens: number
}

function hasImage(request: ChatRequest): boolean {
  return request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
  )
}

/** What a model must be able to do to take this request at all. */
export function requiredCapabilities(request: ChatRequest, promptTokens: number): RequiredCapabilities {
  const outputBudget = Math.min(request.max_completion_tokens ?? request.max_tokens ?? 1024, 8192)
  return {
    tools: (request.tools?.length ?? 0) > 0 && request.tool_choice !== 'none',
    vision: hasImage(request),
    jsonMode: request.response_format !== undefined && request.response_format.type !== 'text',
    contextTokens: promptTokens + outputBudget,
  }
}
