// OpenAI's legacy Completions API (POST /v1/completions), which editors' autocomplete speaks (Continue,
// Tabby): a prompt, optionally a suffix for fill-in-the-middle, and `text_completion` answers whose
// streamed chunks have the same shape as the whole answer.

import type { FinishReason, Usage } from '../openai/types.js'

/** A validated POST /v1/completions body. Fields SmartSplit does not read are kept. */
export interface CompletionsRequest {
  model: string
  /** The text before the cursor, or a prompt that carries prefix and suffix in a FIM template. */
  prompt: string
  suffix?: string | null
  max_tokens?: number | null
  temperature?: number | null
  top_p?: number | null
  stop?: string | string[] | null
  stream?: boolean | null
  stream_options?: { include_usage?: boolean } | null
  seed?: number | null
  user?: string
  [key: string]: unknown
}

export interface TextCompletionChoice {
  text: string
  index: number
  logprobs: null
  /** Null on streamed chunks before the last, as OpenAI sends them. */
  finish_reason: 'stop' | 'length' | 'content_filter' | null
}

export interface TextCompletion {
  id: string
  object: 'text_completion'
  created: number
  model: string
  choices: TextCompletionChoice[]
  usage?: Usage
  system_fingerprint?: string
}

/** The finish reasons a text completion may carry: a tool call cannot end one. */
export function toTextFinishReason(reason: FinishReason | null): TextCompletionChoice['finish_reason'] {
  if (reason === null) return null
  if (reason === 'length' || reason === 'content_filter') return reason
  return 'stop'
}
