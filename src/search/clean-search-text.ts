const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
}

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#')) {
    const isHex = body[1] === 'x' || body[1] === 'X'
    const code = Number.parseInt(body.slice(isHex ? 2 : 1), isHex ? 16 : 10)
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? entity
}

/**
 * Search APIs return snippets with markup (Brave wraps matches in <strong>, SearXNG and Serper pass
 * entities through): strip tags, decode entities, drop control characters, collapse whitespace to single
 * spaces and cut at `maxChars` (with an ellipsis). The result is one line of plain text.
 */
export function cleanSearchText(value: string, maxChars: number): string {
  const text = value
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, decodeEntity)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (text.length <= maxChars) return text
  const cut = text.slice(0, Math.max(0, maxChars - 1))
  const lastSpace = cut.lastIndexOf(' ')
  return `${lastSpace > maxChars * 0.7 ? cut.slice(0, lastSpace) : cut}…`
}
