import { z } from 'zod'

const target = {
  provider: z.string(),
  model: z.string(),
  keyIndex: z.number().int().nonnegative(),
  /** A short SHA-256 of the key, so counts follow a key when the config reorders keys; null without key. */
  keyFingerprint: z.string().nullable(),
}

const count = z.number().finite().nonnegative()

/** The plain-JSON form of daily usage and timed blocks, as a store keeps it between restarts. */
export const savedCountersSchema = z.object({
  version: z.literal(1),
  savedAtMs: z.number().finite(),
  targets: z.array(
    z.object({
      ...target,
      day: z.object({ endMs: z.number().finite(), requests: count, tokens: count }),
      minute: z.array(z.object({ atMs: z.number().finite(), requests: count, tokens: count })),
    }),
  ),
  blocks: z.array(
    z.object({
      ...target,
      state: z.enum(['cooldown', 'quota']),
      untilMs: z.number().finite(),
      reason: z.string(),
    }),
  ),
})

export type SavedCounters = z.infer<typeof savedCountersSchema>
