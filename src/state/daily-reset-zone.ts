// When each provider's daily quota resets, as data. Gemini documents midnight Pacific; OpenRouter and
// Cloudflare document 00:00 UTC; the others publish nothing precise, and UTC is the usual convention.
const RESET_ZONES: Readonly<Record<string, string>> = {
  gemini: 'America/Los_Angeles',
  openrouter: 'UTC',
  cloudflare: 'UTC',
}

/** The IANA zone whose midnight resets `provider`'s daily quotas; `overrides` come from configuration. */
export function dailyResetZone(provider: string, overrides: Readonly<Record<string, string>> = {}): string {
  // Own properties only: provider names come from the config, and "constructor" is inherited by all.
  if (Object.hasOwn(overrides, provider)) return overrides[provider]!
  return Object.hasOwn(RESET_ZONES, provider) ? RESET_ZONES[provider]! : 'UTC'
}
