import type { AttemptTarget } from './types.js'

/** A stable map key for a target; NUL cannot appear in provider or model names from config. */
export function targetKey(target: AttemptTarget): string {
  return `${target.provider}\u0000${target.model}\u0000${target.keyIndex}`
}
