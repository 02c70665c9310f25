import { z } from 'zod'
import { InvalidRequestError } from '../../errors.js'
import { describeZodIssue } from '../anthropic/describe-zod-issue.js'
import type { CompletionsRequest } from './types.js'

// What editors send to /v1/completions (Continue: prompt, max_tokens, temperature, stop, stream; Tabby
// adds suffix, seed, presence_penalty). One completion of one text prompt is served; what would ask
// for more (n, best_of, echo, logprobs, token arrays) is refused with the reason, as OpenAI names fields.

const optionalNumber = (schema: z.ZodNumber) => schema.nullable().optional()

const schema = z.looseObject({
  model: z.string().min(1, 'must name a model, e.g. "smartsplit"').max(256),
  prompt: z.union([z.string(), z.array(z.string()).length(1, 'must hold exactly one prompt')]),
  suffix: z.string().nullable().optional(),
  max_tokens: optionalNumber(z.number().int().min(1)),
  temperature: optionalNumber(z.number().min(0).max(2)),
  top_p: optionalNumber(z.number().min(0).max(1)),
  presence_penalty: optionalNumber(z.number().min(-2).max(2)),
  frequency_penalty: optionalNumber(z.number().min(-2).max(2)),
  seed: optionalNumber(z.number().int()),
  stop: z
    .union([z.string(), z.array(z.string()).max(16)])
    .nullable()
    .optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  user: z.string().optional(),
  n: optionalNumber(z.number().int().min(1).max(1)),
  best_of: optionalNumber(z.number().int().min(0).max(1)),
  echo: z.literal(false).nullable().optional(),
  logprobs: optionalNumber(z.number().int().min(0).max(0)),
})

const UNSERVED: Readonly<Record<string, string>> = {
  n: 'SmartSplit returns one completion per request; send n: 1 (or none).',
  best_of: 'best_of is not supported; send best_of: 1 (or none).',
  echo: 'echo is not supported; the prompt is not returned with the completion.',
  logprobs: 'logprobs are not available from the routed models; send logprobs: null.',
}

export function parseCompletionsRequest(body: unknown): CompletionsRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidRequestError('The request body must be a JSON object.')
  if (Array.isArray((body as { prompt?: unknown }).prompt)) {
    const first = (body as { prompt: unknown[] }).prompt[0]
    if (typeof first !== 'string')
      throw new InvalidRequestError(
        'prompt: token arrays are not supported (the routed models have different tokenizers); send the prompt as text.',
        { param: 'prompt', code: 'invalid_value' },
      )
  }
  const result = schema.safeParse(body)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const field = String(issue.path[0] ?? '')
    const { param, message } = describeZodIssue(issue)
    throw new InvalidRequestError(
      Object.hasOwn(UNSERVED, field) ? UNSERVED[field]! : `${param ?? 'body'}: ${message}`,
      {
        param: param ?? null,
        code: Object.hasOwn(UNSERVED, field) ? 'unsupported_parameter' : 'invalid_value',
      },
    )
  }
  const { prompt, ...rest } = result.data
  return { ...rest, prompt: typeof prompt === 'string' ? prompt : prompt[0]! } as CompletionsRequest
}
