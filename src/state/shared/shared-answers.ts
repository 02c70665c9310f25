import { z } from 'zod'

// What the scripts answer, parsed as untrusted JSON like anything read from outside this process. Lua's
// cjson writes an empty table as {}, so every list also accepts an empty object.

const list = <T extends z.ZodType>(item: T) =>
  z.union([
    z.array(item),
    z
      .object({})
      .strict()
      .transform(() => []),
  ]) as unknown as z.ZodType<z.infer<T>[]>
const absentOr = <T extends z.ZodType>(value: T) => z.union([value, z.literal(false)])

const target = z.object({ provider: z.string(), model: z.string(), keyIndex: z.number().int().min(0) })

export const blockRecord = z.object({
  target,
  block: z.object({ state: z.enum(['cooldown', 'quota']), untilMs: z.number(), reason: z.string() }),
})
export type BlockRecord = z.infer<typeof blockRecord>

export const breakerRecord = z.object({
  openUntilMs: z.number().nullable(),
  changedAtMs: z.number(),
  reason: z.string().nullable(),
})
export type BreakerRecord = z.infer<typeof breakerRecord>

export const retiredRecord = z.object({
  provider: z.string(),
  model: z.string(),
  reason: z.string(),
  sinceMs: z.number(),
  recheckAtMs: z.number(),
})

/** A counter as Redis holds it: [second, requests, tokens, …] and today's requests and tokens. */
export interface BucketView {
  minute: number[]
  requests: number
  tokens: number
}

export const admitAnswer = z.object({
  ok: z.boolean(),
  probe: z.boolean(),
  second: z.number(),
  minute: list(z.number()),
  dr: z.number(),
  dt: z.number(),
  block: absentOr(z.string()),
  disabled: absentOr(z.string()),
  breaker: absentOr(z.string()),
  retired: absentOr(z.string()),
  /** What every instance's slices hold of the counter (leased-slices.ts), apart from its slots. */
  hr: z.number(),
  ht: z.number(),
  /** A slice granted with this admission: requests, and the tokens held for them. */
  granted: z.number().int().min(0),
  grantedTokens: z.number().int().min(0),
})
export type AdmitAnswer = z.infer<typeof admitAnswer>

export const pullAnswer = z.object({
  epoch: z.string(),
  instances: z.number().int(),
  blocks: list(z.string()),
  disabled: list(z.string()),
  breakers: list(z.string()),
  retired: list(z.string()),
  /** [bucket, minute slots, day requests, day tokens, held requests, held tokens] */
  buckets: list(z.tuple([z.string(), list(z.number()), z.number(), z.number(), z.number(), z.number()])),
  arms: list(z.tuple([z.string(), z.number(), list(z.string())])),
  plans: list(z.tuple([z.string(), list(z.string())])),
})
export type PullAnswer = z.infer<typeof pullAnswer>

/** A hash read with HGETALL ([field, value, …]) as pairs. */
export function pairsOf(flat: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (let index = 0; index + 1 < flat.length; index += 2) pairs.push([flat[index]!, flat[index + 1]!])
  return pairs
}

/** One JSON record kept by the scripts, or null when it does not have the expected shape. */
export function parseRecord<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
