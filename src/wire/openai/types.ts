// The canonical shapes inside SmartSplit are OpenAI's Chat Completions shapes: clients already speak
// them, the OpenAI-compatible adapter becomes nearly an identity function, and unknown fields survive.
// Native dialects (Anthropic, Gemini) translate to and from these in wire/<dialect>/.

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function'

export interface TextPart {
  type: 'text'
  text: string
}

export interface ImagePart {
  type: 'image_url'
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' }
}

/** Any other part type (input_audio, file, refusal, …) is carried through untouched. */
export interface OtherPart {
  type: string
  [key: string]: unknown
}

export type ContentPart = TextPart | ImagePart | OtherPart

export type MessageContent = string | ContentPart[]

/**
 * A prompt-cache breakpoint, as Anthropic writes it (`{type: "ephemeral", ttl?}`). On a message it marks
 * the end of that message (the last block it becomes); only the Anthropic translator reads it, every
 * other one drops it, so the message's content keeps the same shape either way.
 */
export interface CacheControl {
  type: string
  [key: string]: unknown
}

export interface ToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface SystemMessage {
  role: 'system' | 'developer'
  content: MessageContent
  name?: string
  cache_control?: CacheControl
}

export interface UserMessage {
  role: 'user'
  content: MessageContent
  name?: string
  cache_control?: CacheControl
}

export interface AssistantMessage {
  role: 'assistant'
  content?: MessageContent | null
  name?: string
  refusal?: string | null
  tool_calls?: ToolCall[]
  /** Provider extras carried across turns, e.g. Gemini's thought signatures. */
  [key: string]: unknown
}

export interface ToolMessage {
  role: 'tool'
  content: MessageContent
  tool_call_id: string
  cache_control?: CacheControl
}

export interface FunctionMessage {
  role: 'function'
  content: string | null
  name: string
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage

export interface FunctionTool {
  type: 'function'
  function: { name: string; description?: string; parameters?: JsonObject; strict?: boolean | null }
  /** A prompt-cache breakpoint after this tool's definition (Anthropic only, see CacheControl). */
  cache_control?: CacheControl
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } }

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: JsonObject; strict?: boolean | null } }

export type JsonObject = { [key: string]: unknown }

/** A validated chat request. Fields SmartSplit does not know are kept so they can reach the model. */
export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  stream?: boolean | null
  stream_options?: { include_usage?: boolean } | null
  tools?: FunctionTool[]
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  response_format?: ResponseFormat
  stop?: string | string[] | null
  max_tokens?: number | null
  max_completion_tokens?: number | null
  temperature?: number | null
  top_p?: number | null
  n?: number | null
  seed?: number | null
  user?: string
  metadata?: Record<string, string> | null
  /**
   * Set by POST /v1/completions only (never by a client): the fill-in-the-middle input a provider's
   * native FIM endpoint takes instead of `messages`, which carry the same ask for every other model.
   */
  text_completion?: TextCompletionInput
  [key: string]: unknown
}

/** A legacy completion's text before and after the cursor, and its stop sequences. */
export interface TextCompletionInput {
  prompt: string
  suffix: string
  stop: string[]
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  /** cached_tokens: read from the provider's prompt cache; cache_write_tokens: written to it (Anthropic). */
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; [key: string]: unknown }
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown }
}

export interface ToolCallDelta {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export interface ChunkDelta {
  role?: 'assistant'
  content?: string | null
  refusal?: string | null
  tool_calls?: ToolCallDelta[]
  [key: string]: unknown
}

export interface ChunkChoice {
  index: number
  delta: ChunkDelta
  finish_reason: FinishReason | null
  logprobs?: unknown
}

export interface ChatChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: ChunkChoice[]
  usage?: Usage | null
  system_fingerprint?: string
  [key: string]: unknown
}

export interface CompletionMessage {
  role: 'assistant'
  content: string | null
  refusal: string | null
  tool_calls?: ToolCall[]
  [key: string]: unknown
}

export interface CompletionChoice {
  index: number
  message: CompletionMessage
  finish_reason: FinishReason
  logprobs: null
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: CompletionChoice[]
  usage?: Usage
  system_fingerprint?: string
}
