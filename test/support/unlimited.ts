/** Limits for a fake upstream under load: the free tier's real limits would (rightly) turn load tests into 429s. */
export const UNLIMITED = {
  rpm: 1_000_000_000,
  rpd: 1_000_000_000,
  tpm: 1_000_000_000,
  tpd: 1_000_000_000,
} as const
