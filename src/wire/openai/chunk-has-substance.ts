import type { ChatChunk } from './types.js'

/**
 * True when a chunk carries part of the answer: text, a tool call, a refusal, reasoning, a finish
 * reason. A bare role chunk, an empty delta or a usage-only chunk commits nothing and is no progress.
 */
export function chunkHasSubstance(chunk: ChatChunk): boolean {
  return chunk.choices.some(
    (choice) =>
      choice.finish_reason !== null ||
      (typeof choice.delta.content === 'string' && choice.delta.content.length > 0) ||
      (choice.delta.tool_calls !== undefined && choice.delta.tool_calls.length > 0) ||
      (typeof choice.delta.refusal === 'string' && choice.delta.refusal.length > 0) ||
      Object.keys(choice.delta).some(
        (key) => key !== 'role' && key !== 'content' && choice.delta[key] != null,
      ),
  )
}
