import type { ChatChunk } from '../../wire/openai/types.js'

/**
 * Gives every chunk of one answer the same id, created time and model name, as the spec requires: the
 * upstream's ids differ per provider (and native dialects have none), and the model names what answered.
 * A plain iterator rather than a generator: it sits on the per-token path, where each generator layer
 * cost a resumption and an extra promise per chunk.
 */
export function stampChunks(
  head: readonly ChatChunk[],
  rest: AsyncIterator<ChatChunk>,
  stamp: { id: string; created: number; fallbackModel: string },
): AsyncIterableIterator<ChatChunk> {
  const model = head.find((chunk) => chunk.model)?.model || stamp.fallbackModel
  const apply = (chunk: ChatChunk): ChatChunk => ({ ...chunk, id: stamp.id, created: stamp.created, model })
  let headIndex = 0
  const stamped: AsyncIterableIterator<ChatChunk> = {
    async next() {
      if (headIndex < head.length) return { done: false, value: apply(head[headIndex++]!) }
      const next = await rest.next()
      return next.done ? next : { done: false, value: apply(next.value) }
    },
    // Consumer stopped early (client left, or an error): release the upstream.
    async return() {
      await rest.return?.()
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]: () => stamped,
  }
  return stamped
}
