import type { ChatMessage, ContentPart, FunctionTool } from './types.js'

// Anthropic's cache_control breakpoints ride on canonical messages, parts and tools (see CacheControl).
// OpenAI-compatible APIs validate those objects strictly (Groq: "property 'cache_control' is
// unsupported") and cache by prefix on their own, so the markers are removed — and only they: the
// content keeps its exact shape, which is what their prefix caches key on.

function hasControl(value: object): boolean {
  return Object.hasOwn(value, 'cache_control')
}

function partHasControl(message: ChatMessage): boolean {
  const content = message.content
  return Array.isArray(content) && content.some((part) => hasControl(part))
}

/** True when any message, part or tool carries a breakpoint (the common case costs one scan). */
export function hasCacheControl(messages: readonly ChatMessage[], tools: readonly unknown[] = []): boolean {
  return (
    messages.some((message) => hasControl(message) || partHasControl(message)) ||
    tools.some((tool) => typeof tool === 'object' && tool !== null && hasControl(tool))
  )
}

function withoutControl<T extends object>(value: T): T {
  if (!hasControl(value)) return value
  const { cache_control: _control, ...rest } = value as T & { cache_control?: unknown }
  return rest as T
}

export function messagesWithoutCacheControl(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) => {
    const bare = withoutControl(message)
    if (!Array.isArray(bare.content) || !partHasControl(bare)) return bare
    return { ...bare, content: bare.content.map((part: ContentPart) => withoutControl(part)) } as ChatMessage
  })
}

export function toolsWithoutCacheControl(tools: readonly FunctionTool[]): FunctionTool[] {
  return tools.map((tool) => withoutControl(tool))
}
