import { UpstreamError } from '../errors.js'
import type {
  ChatChunk,
  ChatCompletion,
  CompletionChoice,
  FinishReason,
  ToolCall,
  Usage,
} from './openai/types.js'

interface ChoiceState {
  content: string
  refusal: string | null
  toolCalls: ToolCall[]
  finishReason: FinishReason | null
  /** Other delta fields by name; a Map because the names are the upstream's ("constructor" included). */
  extras: Map<string, unknown>
}

/**
 * 256 Mi characters, half of V8's longest string: a backstop under the adapters' configurable
 * upstream_limits.max_answer_bytes, so an answer that reaches a collector unbounded fails as malformed
 * (and falls back) instead of as an internal "Invalid string length".
 */
export const MAX_COLLECTED_CHARS = 256 * 1024 * 1024

/**
 * Accumulates canonical chunks into one completion. Tool-call fragments are joined by `index`; extra delta
 * fields (e.g. `reasoning_content`) are concatenated when strings so nothing the model said is lost.
 */
export class CompletionCollector {
  readonly #maxChars: number
  #chars = 0
  #id = ''
  #created = 0
  #model = ''
  #usage: Usage | undefined
  #systemFingerprint: string | undefined
  readonly #choices = new Map<number, ChoiceState>()

  constructor(maxChars = MAX_COLLECTED_CHARS) {
    this.#maxChars = maxChars
  }

  /** Throws a malformed UpstreamError once the text collected passes `maxChars`. */
  push(chunk: ChatChunk): void {
    this.#id ||= chunk.id
    this.#created ||= chunk.created
    this.#model ||= chunk.model
    if (chunk.usage) this.#usage = chunk.usage
    if (chunk.system_fingerprint) this.#systemFingerprint = chunk.system_fingerprint
    for (const choice of chunk.choices) {
      const state = this.#choice(choice.index)
      const { role: _role, content, refusal, tool_calls: toolCalls, ...extras } = choice.delta
      if (typeof content === 'string') {
        this.#count(content.length)
        state.content += content
      }
      if (typeof refusal === 'string') {
        this.#count(refusal.length)
        state.refusal = (state.refusal ?? '') + refusal
      }
      for (const fragment of toolCalls ?? []) {
        // Only small integer indexes: anything else could write onto Array.prototype.
        if (!Number.isInteger(fragment.index) || fragment.index < 0 || fragment.index >= 128) continue
        const call = (state.toolCalls[fragment.index] ??= {
          id: '',
          type: 'function',
          function: { name: '', arguments: '' },
        })
        if (fragment.id) call.id = fragment.id
        if (fragment.function?.name) {
          this.#count(fragment.function.name.length)
          call.function.name += fragment.function.name
        }
        if (fragment.function?.arguments) {
          this.#count(fragment.function.arguments.length)
          call.function.arguments += fragment.function.arguments
        }
      }
      for (const [key, value] of Object.entries(extras)) {
        if (typeof value === 'string') {
          this.#count(value.length)
          const previous = state.extras.get(key)
          state.extras.set(key, `${typeof previous === 'string' ? previous : ''}${value}`)
        } else if (value !== undefined && value !== null) state.extras.set(key, value)
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason
    }
  }

  #count(chars: number): void {
    this.#chars += chars
    if (this.#chars > this.#maxChars)
      throw new UpstreamError(`The answer is longer than ${this.#maxChars} characters`, { kind: 'malformed' })
  }

  #choice(index: number): ChoiceState {
    let state = this.#choices.get(index)
    if (state === undefined) {
      state = {
        content: '',
        refusal: null,
        toolCalls: [],
        finishReason: null,
        extras: new Map(),
      }
      this.#choices.set(index, state)
    }
    return state
  }

  /** Text produced so far across choice 0, for quality checks. */
  get text(): string {
    return this.#choices.get(0)?.content ?? ''
  }

  get hasFinished(): boolean {
    return [...this.#choices.values()].some((choice) => choice.finishReason !== null)
  }

  result(): ChatCompletion {
    const indexes = [...this.#choices.keys()].sort((a, b) => a - b)
    if (indexes.length === 0) indexes.push(0)
    const choices: CompletionChoice[] = indexes.map((index) => {
      const state = this.#choice(index)
      const toolCalls = state.toolCalls.filter((call) => call !== undefined)
      return {
        index,
        message: {
          role: 'assistant',
          // OpenAI sends null beside tool calls; a role chunk's "" (Anthropic, Gemini) is no content.
          content: toolCalls.length > 0 && state.content === '' ? null : state.content,
          refusal: state.refusal,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...Object.fromEntries(state.extras),
        },
        finish_reason: state.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        logprobs: null,
      }
    })
    return {
      id: this.#id,
      object: 'chat.completion',
      created: this.#created,
      model: this.#model,
      choices,
      ...(this.#usage ? { usage: this.#usage } : {}),
      ...(this.#systemFingerprint ? { system_fingerprint: this.#systemFingerprint } : {}),
    }
  }
}

/** The inverse of collecting: a whole completion as the chunk sequence a streaming upstream would send. */
export function completionToChunks(completion: ChatCompletion): ChatChunk[] {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: completion.model,
  }
  const chunks: ChatChunk[] = []
  for (const choice of completion.choices) {
    const { role: _role, content, refusal, tool_calls: toolCalls, ...extras } = choice.message
    chunks.push({
      ...base,
      choices: [{ index: choice.index, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    })
    const delta: ChatChunk['choices'][number]['delta'] = { ...extras }
    if (content) delta.content = content
    if (refusal) delta.refusal = refusal
    if (toolCalls && toolCalls.length > 0) {
      delta.tool_calls = toolCalls.map((call, index) => ({
        index,
        id: call.id,
        type: 'function' as const,
        function: { name: call.function.name, arguments: call.function.arguments },
      }))
    }
    if (Object.keys(delta).length > 0)
      chunks.push({ ...base, choices: [{ index: choice.index, delta, finish_reason: null }] })
    chunks.push({
      ...base,
      choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }],
    })
  }
  if (completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage })
  return chunks
}
