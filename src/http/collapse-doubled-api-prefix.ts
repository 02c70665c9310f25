/**
 * A base URL that already ends in /v1, given to a client that appends /v1/… itself (Claude Code's
 * ANTHROPIC_BASE_URL, the Anthropic SDK's baseURL: every other setup in the README ends in /v1), asks
 * for /v1/v1/messages. Claude Code reports that 404 as "There's an issue with the selected model", which
 * points nowhere near the cause, so the doubled prefix is served as one.
 */
export function collapseDoubledApiPrefix(url: string): string {
  return url.startsWith('/v1/v1/') ? url.slice('/v1'.length) : url
}
