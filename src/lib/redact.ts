/**
 * Replaces every occurrence of the given secrets with a masked form. Upstream error messages sometimes
 * echo the key ("Incorrect API key provided: gsk_…"), and nothing SmartSplit writes may contain one.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret.length < 6) continue
    if (result.includes(secret)) result = result.split(secret).join(`${secret.slice(0, 3)}…[redacted]`)
  }
  // Also mask anything shaped like a provider key that we were not told about.
  return result.replace(
    /\b(gsk_|csk-|sk-or-v1-|sk-ant-|sk-proj-|sk-|AIza|hf_|tvly-)[A-Za-z0-9_-]{12,}/g,
    '$1…[redacted]',
  )
}
