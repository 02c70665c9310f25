import { z } from 'zod'
import { InvalidRequestError } from '../../errors.js'
import { describeZodIssue } from '../anthropic/describe-zod-issue.js'
import type { EmbeddingsRequest } from './types.js'

/** OpenAI's own limit on inputs per request. */
const MAX_INPUTS = 2_048

const schema = z.looseObject({
  model: z.string().min(1, 'must name a model, e.g. "smartsplit-embed"').max(256),
  input: z.union([
    z.string(),
    z
      .array(z.string())
      .min(1, 'must hold at least one text')
      .max(MAX_INPUTS, `must hold at most ${MAX_INPUTS} texts`),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
})

function isTokenInput(input: unknown): boolean {
  if (!Array.isArray(input) || input.length === 0) return false
  return typeof input[0] === 'number' || Array.isArray(input[0])
}

/**
 * Validates a POST /v1/embeddings body as OpenAI would, naming the field. Token arrays are refused:
 * every provider behind SmartSplit has its own tokenizer, so only text can be embedded faithfully.
 */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidRequestError('The request body must be a JSON object.')
  if (isTokenInput((body as { input?: unknown }).input))
    throw new InvalidRequestError(
      'input: token arrays are not supported (each provider has its own tokenizer); send the texts instead.',
      { param: 'input', code: 'invalid_value' },
    )
  const result = schema.safeParse(body)
  if (!result.success) {
    const { param, message } = describeZodIssue(result.error.issues[0]!)
    throw new InvalidRequestError(`${param ?? 'body'}: ${message}`, { param, code: 'invalid_value' })
  }
  const { model, input, dimensions, encoding_format: format } = result.data
  return {
    model,
    input: typeof input === 'string' ? [input] : input,
    dimensions: dimensions ?? null,
    encodingFormat: format ?? 'float',
  }
}
