/**
 * The body of Gemini's `models/{model}:batchEmbedContents`: one request per text, each naming the model
 * again, and `outputDimensionality` where a shorter vector is asked for.
 */
export function toGeminiEmbedRequest(
  model: string,
  inputs: readonly string[],
  dimensions: number | null,
): { requests: Record<string, unknown>[] } {
  return {
    requests: inputs.map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...(dimensions === null ? {} : { outputDimensionality: dimensions }),
    })),
  }
}
