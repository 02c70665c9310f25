// OpenAI's embeddings API (POST /v1/embeddings), which codebase indexers speak (Continue, Open WebUI):
// text inputs in, one vector per input out, as floats or as base64 of little-endian float32s.

/** A validated POST /v1/embeddings body: always a list of texts. */
export interface EmbeddingsRequest {
  model: string
  input: string[]
  /** A shorter vector, for models that can give one (Matryoshka); null for the model's own width. */
  dimensions: number | null
  encodingFormat: 'float' | 'base64'
}

export interface EmbeddingObject {
  object: 'embedding'
  index: number
  embedding: number[] | string
}

export interface EmbeddingsResponse {
  object: 'list'
  data: EmbeddingObject[]
  model: string
  usage: { prompt_tokens: number; total_tokens: number }
}
