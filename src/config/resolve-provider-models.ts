import type { CatalogEntry, FreeTierLimits, ModelFacts, ModelInfo } from '../providers/catalog.js'
import type { ProviderConfigInput } from './schema.js'

type LimitsInput = NonNullable<ProviderConfigInput['limits']>
type ModelOverride = NonNullable<ProviderConfigInput['models']>[string]

/** Config limits over catalogue ones, field by field; a `null` in the config means "no limit". */
export function overrideLimits(base: FreeTierLimits, input: LimitsInput | undefined): FreeTierLimits {
  if (input === undefined) return { ...base }
  const pick = (key: keyof FreeTierLimits): number | null =>
    input[key] === undefined ? base[key] : (input[key] ?? null)
  return { rpm: pick('rpm'), rpd: pick('rpd'), tpm: pick('tpm'), tpd: pick('tpd') }
}

function overrideInfo(info: ModelInfo, input: ModelOverride | undefined): ModelInfo {
  return {
    contextWindow: input?.context_window ?? info.contextWindow,
    maxOutputTokens: input?.max_output_tokens ?? info.maxOutputTokens,
    supportsTools: input?.tools ?? info.supportsTools,
    supportsVision: input?.vision ?? info.supportsVision,
    supportsJsonMode: input?.json_mode ?? info.supportsJsonMode,
  }
}

/**
 * Every model SmartSplit knows for one provider: the catalogue's, those the config corrects under
 * `models`, and the configured model/fast/strong ones (a model the catalogue does not list gets the
 * provider's assumed capabilities and limits). A model's limits: its catalogue figures (or the
 * provider's), then the config's provider-wide `limits`, then its own `models.<id>.limits`.
 */
export function resolveProviderModels(
  entry: CatalogEntry,
  input: ProviderConfigInput,
  configured: readonly string[],
): Map<string, ModelFacts> {
  const overrides = new Map(Object.entries(input.models ?? {}))
  const ids = new Set([...entry.models.keys(), ...overrides.keys(), ...configured])
  const models = new Map<string, ModelFacts>()
  for (const id of ids) {
    const known = entry.models.get(id)
    const override = overrides.get(id)
    const own = known?.limits ?? null
    // A model has limits of its own when the catalogue lists some or the config sets them; the config's
    // provider-wide `limits` apply to every model (a test or a paid account lifts them all at once).
    const hasOwn = own !== null || override?.limits !== undefined
    models.set(id, {
      status: known?.status ?? null,
      limits: hasOwn
        ? overrideLimits(overrideLimits(own ?? entry.limits, input.limits), override?.limits)
        : null,
      info: overrideInfo(known?.info ?? entry.assumedInfo, override),
      assumed: (known?.assumed ?? Object.keys(entry.assumedInfo)).filter(
        (key) => override === undefined || !hasInfoOverride(override, key as keyof ModelInfo),
      ) as (keyof ModelInfo)[],
    })
  }
  return models
}

const OVERRIDE_FIELD: Readonly<Record<keyof ModelInfo, keyof ModelOverride>> = {
  contextWindow: 'context_window',
  maxOutputTokens: 'max_output_tokens',
  supportsTools: 'tools',
  supportsVision: 'vision',
  supportsJsonMode: 'json_mode',
}

function hasInfoOverride(override: ModelOverride, key: keyof ModelInfo): boolean {
  return override[OVERRIDE_FIELD[key]] !== undefined
}
