const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export const count = (value: number): string => integer.format(value)

export const percent = (value: number | null): string =>
  value === null ? '—' : `${(value * 100).toFixed(value === 1 || value === 0 ? 0 : 1)} %`

export const usd = (value: number): string => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`

export const ms = (value: number | null): string =>
  value === null ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`

export const clock = (timeMs: number): string => new Date(timeMs).toLocaleTimeString('en-GB')

export const dateTime = (timeMs: number): string =>
  `${new Date(timeMs).toISOString().slice(0, 10)} ${clock(timeMs)}`

/** "in 4 min", "in 2 h 5 min": how long until a moment. */
export function until(timeMs: number | null, nowMs: number): string {
  if (timeMs === null) return ''
  const left = Math.max(0, timeMs - nowMs)
  const minutes = Math.round(left / 60_000)
  if (left < 60_000) return `in ${Math.ceil(left / 1000)} s`
  if (minutes < 60) return `in ${minutes} min`
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
