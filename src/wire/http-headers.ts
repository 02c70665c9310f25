/** Headers as node:http and undici hand them over: lower-case names, a value or several. */
export type HttpHeaders = Record<string, string | string[] | undefined>

/** The first value of a header, by case-insensitive name; undefined when absent or empty. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase()
  const direct = headers[wanted]
  const value =
    direct !== undefined ? direct : Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1]
  const first = Array.isArray(value) ? value[0] : value
  const trimmed = first?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
