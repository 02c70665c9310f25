/** Headers as node:http and undici hand them over: lower-case names, a value or several. */
export type HttpHeaders = Record<string, string | string[] | undefined>

/** The first value of a header, by case-insensitive name; undefined when absent or empty. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase()
  const value = Object.hasOwn(headers, wanted) ? headers[wanted] : findIgnoringCase(headers, wanted)
  const first = Array.isArray(value) ? value[0] : value
  const trimmed = first?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

// Read for every absent header on every upstream answer: a loop, not an array of entries.
function findIgnoringCase(headers: HttpHeaders, wanted: string): string | string[] | undefined {
  for (const key in headers) {
    if (Object.hasOwn(headers, key) && key.toLowerCase() === wanted) return headers[key]
  }
  return undefined
}
