import { ConfigError } from './config-error.js'

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Replaces `${NAME}` in every string of a parsed config file with the environment variable NAME, so a
 * file can name keys without holding them (`"api_key": "${GROQ_API_KEY}"`). A reference to a variable
 * that is unset or empty is an error naming the field: sending "${GROQ_API_KEY}" upstream as a key helps
 * nobody. Keys of objects are kept as they are (own properties only, `__proto__` included as data).
 */
export function expandEnvReferences(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') return expandString(value, env, path)
  if (Array.isArray(value))
    return value.map((item, index) => expandEnvReferences(item, env, [...path, `${index}`]))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnvReferences(item, env, [...path, key])]),
    )
  return value
}

function expandString(text: string, env: NodeJS.ProcessEnv, path: readonly string[]): string {
  if (!text.includes('${')) return text
  return text.replace(REFERENCE, (_match, name: string) => {
    const found = Object.hasOwn(env, name) ? env[name] : undefined
    if (found === undefined || found === '') {
      const field = path.length > 0 ? path.join('.') : '(top level)'
      throw new ConfigError(
        `${field}: refers to \${${name}}, which is not set: set ${name} in the environment or in .env`,
      )
    }
    return found
  })
}
