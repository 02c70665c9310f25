import type { EmbeddingsResponse } from './types.js'

/** OpenAI's base64 encoding: the vector's float32 values, little-endian, as one base64 string. */
export function toBase64Embedding(vector: readonly number[]): string {
  const floats = new Float32Array(vector)
  // Float32Array is in the machine's byte order; OpenAI's encoding is little-endian whatever the machine.
  const bytes = Buffer.from(floats.buffer)
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) bytes.swap32()
  return bytes.toString('base64')
}

/** The vectors, in input order, as OpenAI's list response; `model` names the one model that made them. */
export function toEmbeddingsResponse(
  vectors: readonly number[][],
  model: string,
  promptTokens: number,
  encodingFormat: 'float' | 'base64',
): EmbeddingsResponse {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' ? toBase64Embedding(vector) : [...vector],
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  }
}
