import type { ChatChunk } from '../../wire/openai/types.js'

/**
 * Gives every chunk of one answer the same id, created time and model name, as the spec requires: the
 * upstream's ids differ per provider (and native dialects have none), and the model names what answered.
 */
export async function* stampChunks(
  head: readonly ChatChunk[],
  rest: AsyncIterator<ChatChunk>,
  stamp: { id: string; created: number; fallbackModel: string },
): AsyncGenerator<ChatChunk> {
  const model = head.find((chunk) => chunk.model)?.model || stamp.fallbackModel
  const apply = (chunk: ChatChunk): ChatChunk => ({ ...chunk, id: stamp.id, created: stamp.created, model })
  try {
    for (const chunk of head) yield apply(chunk)
    while (true) {
      const next = await rest.next()
      if (next.done) return
      yield apply(next.value)
    }
  } finally {
    // Consumer stopped early (client left, or an error): release the upstream.
    await rest.return?.()
  }
}
