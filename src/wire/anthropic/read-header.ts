/** Headers as node:http and most fetch wrappers hand them over: lower-case names, maybe repeated. */
export type HeaderBag = Record<string, string | string[] | undefined>

/** The first value of a header, by case-insensitive name; undefined when absent or empty. */
export function readHeader(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue
    const first = Array.isArray(value) ? value[0] : value
    const trimmed = first?.trim()
    return trimmed === undefined || trimmed === '' ? undefined : trimmed
  }
  return undefined
}
