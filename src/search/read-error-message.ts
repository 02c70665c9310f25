const MAX_MESSAGE_CHARS = 300

/**
 * The human message of a search API's error body: `pick` reads the API's JSON shape; plain-text and
 * HTML bodies (SearXNG, proxies) fall back to their first characters with tags removed.
 */
export function readErrorMessage(text: string, pick: (body: unknown) => string | undefined): string {
  let picked: string | undefined
  try {
    picked = pick(JSON.parse(text) as unknown)
  } catch {
    picked = undefined
  }
  const message = (picked ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()
  return message.length === 0 ? '(empty body)' : message.slice(0, MAX_MESSAGE_CHARS)
}
