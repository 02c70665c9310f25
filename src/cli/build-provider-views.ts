import type { ProviderConfig } from '../config/types.js'
import type { FreeTierLimits, ModelInfo } from '../providers/catalog.js'
import { capacityAdvice } from '../state/capacity-advice.js'
import { keyFingerprint } from '../state/key-fingerprint.js'
import type { RemainingCapacity } from '../state/types.js'

/** A figure as `smartsplit providers --json` prints it: the value in force and where it came from. */
export interface FigureView {
  value: number | boolean | string | null
  /** `catalogue` (with as_of/source), `config` (smartsplit.json), or `assumed` (SmartSplit's default). */
  from: 'catalogue' | 'config' | 'assumed'
  as_of?: string
  source?: string
  note?: string
  confidence?: string
}

export interface ModelView {
  id: string
  roles: string[]
  status: string | null
  limits: Record<keyof FreeTierLimits, FigureView>
  capabilities: Record<'context_window' | 'max_output_tokens' | 'tools' | 'vision' | 'json_mode', FigureView>
  /** Per key, from a running SmartSplit's /health; absent when none answered. */
  remaining?: { key: string; pool: string; state: string; remaining: RemainingCapacity }[]
}

export interface ProviderView {
  name: string
  displayName: string
  tier: FigureView
  enabled: boolean
  disabledReason: string | null
  keyUrl: string
  keyEnv: string | null
  poolScope: FigureView
  limitsPer: FigureView
  keys: { key: string; fingerprint: string | null; pool: string }[]
  capacity: string
  models: ModelView[]
}

/** Live state per provider, model and key: the `state` array of GET /health. */
export type LiveHealth = {
  provider: string
  models: {
    model: string
    keys: { key: string; pool: string; state: string; remaining: RemainingCapacity }[]
  }[]
}[]

/** Any catalogue figure, whatever its value type. */
interface AnyFigure {
  value: unknown
  as_of: string
  source: string
  note?: string | undefined
  confidence?: string | undefined
}

function fromFigure(figure: AnyFigure): FigureView {
  const view: FigureView = {
    value: figure.value as FigureView['value'],
    from: 'catalogue',
    as_of: figure.as_of,
    source: figure.source,
  }
  if (figure.note !== undefined) view.note = figure.note
  if (figure.confidence !== undefined) view.confidence = figure.confidence
  return view
}

function limitViews(provider: ProviderConfig, id: string): ModelView['limits'] {
  const catalogueModel = provider.catalogSource?.models[id]
  const figures =
    provider.limitsPer === 'model' && catalogueModel?.limits !== undefined
      ? catalogueModel.limits
      : provider.catalogSource?.limits
  const inForce: FreeTierLimits =
    provider.limitsPer === 'provider' ? provider.limits : (provider.models.get(id)?.limits ?? provider.limits)
  const view = (key: keyof FreeTierLimits): FigureView => {
    const figure = figures?.[key]
    if (figure !== undefined && figure.value === inForce[key]) return fromFigure(figure)
    return { value: inForce[key], from: 'config' }
  }
  return { rpm: view('rpm'), rpd: view('rpd'), tpm: view('tpm'), tpd: view('tpd') }
}

const CAPABILITY: ReadonlyArray<[keyof ModelView['capabilities'], keyof ModelInfo]> = [
  ['context_window', 'contextWindow'],
  ['max_output_tokens', 'maxOutputTokens'],
  ['tools', 'supportsTools'],
  ['vision', 'supportsVision'],
  ['json_mode', 'supportsJsonMode'],
]

function capabilityViews(provider: ProviderConfig, id: string): ModelView['capabilities'] {
  const facts = provider.models.get(id)
  const catalogueModel = provider.catalogSource?.models[id]
  const entries = CAPABILITY.map(([name, field]): [string, FigureView] => {
    const value = facts?.info[field] ?? provider.modelInfo[field]
    const figure = catalogueModel?.[name]
    if (figure !== undefined && figure.value === value) return [name, fromFigure(figure)]
    const isAssumed = facts === undefined || facts.assumed.includes(field)
    return [name, { value, from: isAssumed ? 'assumed' : 'config' }]
  })
  return Object.fromEntries(entries) as ModelView['capabilities']
}

function modelViews(provider: ProviderConfig, live: LiveHealth | null): ModelView[] {
  const roles = new Map<string, string[]>()
  for (const [role, id] of [
    ['model', provider.model],
    ['fast', provider.fastModel],
    ['strong', provider.strongModel],
  ] as const) {
    roles.set(id, [...(roles.get(id) ?? []), role])
  }
  const ids = [...new Set([...roles.keys(), ...provider.models.keys()])]
  const liveModels = live?.find((entry) => entry.provider === provider.name)?.models ?? null
  return ids.map((id) => {
    const view: ModelView = {
      id,
      roles: roles.get(id) ?? [],
      status: provider.models.get(id)?.status ?? null,
      limits: limitViews(provider, id),
      capabilities: capabilityViews(provider, id),
    }
    const keys = liveModels?.find((entry) => entry.model === id)?.keys
    if (keys !== undefined) view.remaining = keys
    return view
  })
}

/** Everything `smartsplit providers` shows of one provider: catalogue figures, config, keys, live state. */
export function buildProviderView(provider: ProviderConfig, live: LiveHealth | null): ProviderView {
  const source = provider.catalogSource
  const plain = (value: string): FigureView => ({ value, from: 'config' })
  return {
    name: provider.name,
    displayName: provider.displayName,
    tier: source === null ? plain(provider.tier) : fromFigure(source.tier),
    enabled: provider.enabled,
    disabledReason: provider.disabledReason,
    keyUrl: provider.keyUrl,
    keyEnv: provider.keyEnv,
    poolScope: source === null ? plain(provider.poolScope) : fromFigure(source.pool_scope),
    limitsPer: source === null ? plain(provider.limitsPer) : fromFigure(source.limits_per),
    keys: provider.apiKeys.map((_, index) => ({
      key: `key ${index + 1}`,
      fingerprint: keyFingerprint(provider.apiKeys, index),
      pool: provider.keyPools[index] ?? `key ${index + 1}`,
    })),
    capacity: capacityAdvice(provider).advice,
    models: modelViews(provider, live),
  }
}
