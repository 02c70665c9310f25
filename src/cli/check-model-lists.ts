import type { Dispatcher } from 'undici'
import type { ProviderConfig } from '../config/types.js'
import { UpstreamError } from '../errors.js'
import { redactSecrets } from '../lib/redact.js'
import { listModels } from '../providers/list-models.js'
import type { DoctorCheck } from './doctor-check.js'

const ROLES = [
  ['model', 'model'],
  ['fastModel', 'fast_model'],
  ['strongModel', 'strong_model'],
] as const

/** The configured models of a provider, each with the setting that chose it. */
function configuredModels(provider: ProviderConfig): Map<string, string> {
  const models = new Map<string, string>()
  for (const [field, setting] of ROLES) {
    const id = provider[field]
    models.set(id, models.has(id) ? `${models.get(id)}, ${setting}` : setting)
  }
  return models
}

/** What the catalogue says of a configured model that is not in service. */
function catalogueWarning(provider: ProviderConfig, model: string): string | null {
  const figure = provider.catalogSource?.models[model]?.status
  if (figure?.value !== 'retired' && figure?.value !== 'deprecated') return null
  return `${model} is ${figure.value} per the catalogue (${figure.as_of}, ${figure.source}${figure.note === undefined ? '' : `: ${figure.note}`})`
}

async function checkOne(
  provider: ProviderConfig,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<DoctorCheck> {
  const name = `${provider.name} models`
  const configured = configuredModels(provider)
  const fromCatalogue = [...configured.keys()].flatMap((model) => catalogueWarning(provider, model) ?? [])
  if (provider.modelsPath === null) {
    return fromCatalogue.length > 0
      ? {
          status: 'warn',
          name,
          detail: fromCatalogue.join('; '),
          hint: `pick another in providers.${provider.name}`,
        }
      : { status: 'skip', name, detail: 'the provider offers no model list' }
  }
  let listed: Set<string>
  try {
    const target = {
      provider: provider.name,
      dialect: provider.dialect,
      baseUrl: provider.baseUrl,
      modelsPath: provider.modelsPath,
      apiKey: provider.apiKeys[0] ?? null,
      extraHeaders: provider.extraHeaders,
    }
    listed = new Set(await listModels(target, dispatcher, timeoutMs))
  } catch (error) {
    const message = error instanceof UpstreamError ? error.message : String(error)
    return {
      status: 'skip',
      name,
      detail: `model list not read: ${redactSecrets(message, provider.apiKeys)}`,
    }
  }
  const missing = [...configured].filter(([model]) => !listed.has(model))
  if (missing.length === 0 && fromCatalogue.length === 0) {
    return { status: 'ok', name, detail: `${configured.size} configured, all in its list of ${listed.size}` }
  }
  const details = [
    ...missing.map(
      ([model, setting]) => `${model} (${setting}) is not in its list: retired, renamed or misspelled`,
    ),
    ...fromCatalogue,
  ]
  return {
    status: 'warn',
    name,
    detail: details.join('; '),
    hint: `set providers.${provider.name}.${missing[0]?.[1].split(',')[0] ?? 'model'} to a listed model (smartsplit providers shows the catalogue's)`,
  }
}

/**
 * `smartsplit doctor`'s model check: the configured model, fast_model and strong_model of each enabled
 * provider against the provider's live list (GET /models, first key) and the catalogue's status. A model
 * that is not listed is retired, renamed or misspelled; SmartSplit would route around it at run time.
 */
export async function checkModelLists(
  providers: readonly ProviderConfig[],
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const enabled = providers.filter((provider) => provider.enabled)
  return await Promise.all(enabled.map((provider) => checkOne(provider, dispatcher, timeoutMs)))
}
