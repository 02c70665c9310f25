import type { ChatChunk, Usage } from '../../wire/openai/types.js'

export interface StreamSummary {
  /** Time of the first chunk with content, if any arrived. */
  firstTokenMs: number | null
  usage: Usage | null
  /** Text produced (choice 0), for estimating tokens when the provider reports no usage. */
  text: string
  hasToolCalls: boolean
  finishReason: string | null
  outcome: 'ok' | 'error' | 'client_gone'
  /** What broke the stream, when it broke. */
  error: unknown
}

/**
 * Passes chunks through untouched while noting what metrics and learning need; calls `onDone` exactly
 * once, whether the stream completes, fails or the consumer stops early.
 */
export async function* observeChunks(
  chunks: AsyncIterable<ChatChunk>,
  nowMs: () => number,
  isClientGone: () => boolean,
  onDone: (summary: StreamSummary) => void,
): AsyncGenerator<ChatChunk> {
  const summary: StreamSummary = {
    firstTokenMs: null,
    usage: null,
    text: '',
    hasToolCalls: false,
    finishReason: null,
    outcome: 'error',
    error: null,
  }
  let completed = false
  try {
    for await (const chunk of chunks) {
      if (chunk.usage) summary.usage = chunk.usage
      const choice = chunk.choices[0]
      if (choice !== undefined) {
        const content = choice.delta.content
        if (typeof content === 'string' && content.length > 0) {
          summary.firstTokenMs ??= nowMs()
          if (summary.text.length < 64_000) summary.text += content
        }
        if (choice.delta.tool_calls !== undefined && choice.delta.tool_calls.length > 0) {
          summary.firstTokenMs ??= nowMs()
          summary.hasToolCalls = true
        }
        if (choice.finish_reason !== null) summary.finishReason = choice.finish_reason
      }
      yield chunk
    }
    completed = true
  } catch (error) {
    summary.error = error
    throw error
  } finally {
    summary.outcome = completed ? 'ok' : isClientGone() ? 'client_gone' : 'error'
    onDone(summary)
  }
}
