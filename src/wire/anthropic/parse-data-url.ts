/** A base64 `data:` URL split into its media type and payload; null for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s.exec(url)
  if (match === null) return null
  return { mediaType: match[1]!.toLowerCase(), data: match[3]! }
}
