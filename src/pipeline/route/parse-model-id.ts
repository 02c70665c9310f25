import type { Mode } from '../../config/schema.js'

export type ModelSelection =
  | { kind: 'auto'; mode: Mode | null }
  | { kind: 'pinned'; provider: string; model: string }

// A Map: the id is the client's, and "toString" must not find Object.prototype.toString.
const AUTO_IDS: ReadonlyMap<string, Mode | null> = new Map([
  ['smartsplit', null],
  ['smartsplit-economy', 'economy'],
  ['smartsplit-balanced', 'balanced'],
  ['smartsplit-quality', 'quality'],
])

/**
 * `smartsplit[-mode]` → automatic routing; `provider/model` where provider is known → pinned; anything
 * else (clients send their own defaults such as "gpt-4o") → automatic routing in the configured mode.
 */
export function parseModelId(modelId: string, knownProviders: ReadonlySet<string>): ModelSelection {
  const auto = AUTO_IDS.get(modelId)
  if (auto !== undefined) return { kind: 'auto', mode: auto }
  const slash = modelId.indexOf('/')
  if (slash > 0) {
    const provider = modelId.slice(0, slash)
    const model = modelId.slice(slash + 1)
    if (knownProviders.has(provider) && model.length > 0) return { kind: 'pinned', provider, model }
  }
  return { kind: 'auto', mode: null }
}
