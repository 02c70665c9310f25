import type { ProviderConfig } from '../../config/types.js'
import { InvalidRequestError, NoProvidersConfiguredError } from '../../errors.js'
import type { StateSnapshot } from '../../state/types.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { type ConversationState, planAffinity } from '../affinity/plan-affinity.js'
import { analyzeRequest } from '../analyze/analyze-request.js'
import { exhausted, turnedAway } from '../attempts.js'
import type { Learner } from '../ports.js'
import { parseModelId } from '../route/parse-model-id.js'
import { pinnedCandidates } from '../route/pinned-candidates.js'
import { rankCandidates } from '../route/rank-candidates.js'
import { requiredCapabilities } from '../route/required-capabilities.js'
import type { PipelineSettings, RoutePlan } from '../types.js'
import { planParts } from './plan-parts.js'

/**
 * What planning reads besides the request: the settings, one snapshot of provider state, the learner,
 * and the conversation the request belongs to with its pin (null when affinity is off).
 */
export interface PlanInputs {
  settings: Pick<PipelineSettings, 'providers' | 'mode' | 'table' | 'planner' | 'isPriorityStated'>
  snapshot: StateSnapshot
  learner: Learner
  conversation: ConversationState | null
}

function noProvidersMessage(providers: readonly ProviderConfig[]): string {
  const hints = providers
    .filter((p) => p.tier === 'free' && p.keyEnv !== null)
    .slice(0, 5)
    .map((p) => `${p.keyEnv} (${p.keyUrl})`)
    .join(', ')
  return `No LLM provider is configured. Set at least one free key and restart SmartSplit: ${hints}; or add providers to smartsplit.json.`
}

/**
 * Analyze → rank: the ordered fallback chain for one request, and its parts when it is a genuinely
 * multi-part prompt. Pure apart from reading a snapshot of provider state.
 */
export function planRoute(request: ChatRequest, inputs: PlanInputs): RoutePlan {
  const { settings, snapshot } = inputs
  if (!settings.providers.some((p) => p.enabled))
    throw new NoProvidersConfiguredError(noProvidersMessage(settings.providers))
  const selection = parseModelId(request.model, new Set(settings.providers.map((p) => p.name)))
  const mode = selection.kind === 'auto' ? (selection.mode ?? settings.mode) : settings.mode
  const analysis = analyzeRequest(request)
  const route = analysis.needsWeb && !analysis.isAgentic ? 'enrich' : 'respond'
  if (selection.kind === 'pinned') {
    const candidates = pinnedCandidates(settings.providers, selection.provider, selection.model)
    if (candidates.length === 0) {
      const provider = settings.providers.find((p) => p.name === selection.provider)
      throw new InvalidRequestError(
        `The model '${request.model}' cannot be used: provider '${selection.provider}' is not enabled (${provider?.disabledReason ?? 'unknown'}). Use "smartsplit" for automatic routing or see GET /v1/models.`,
        { param: 'model', code: 'model_not_found', status: 404 },
      )
    }
    return {
      mode,
      analysis,
      route,
      pinned: true,
      candidates,
      excluded: [],
      parts: null,
      synthesisCandidates: [],
      plannerCandidates: [],
      rankPart: () => candidates,
      affinity: null,
    }
  }
  const availability = (provider: string, model: string, keyIndex: number) =>
    snapshot.view({ provider, model, keyIndex }).score
  const required = requiredCapabilities(request, analysis.estimatedPromptTokens)
  const rank = (task: typeof analysis.task, complexity: typeof analysis.complexity, isAutocomplete = false) =>
    rankCandidates({
      analysis: { task, complexity, isBackgroundCall: analysis.isBackgroundCall, isAutocomplete },
      mode,
      providers: settings.providers,
      table: settings.table,
      required,
      nowMs: snapshot.atMs,
      isPriorityStated: settings.isPriorityStated,
      availability,
      isRetired: (provider, model) => snapshot.isRetired(provider, model),
      learned: (task, provider, model, prior) => inputs.learner.quality(task, provider, model, prior),
    })
  const isAutocomplete = analysis.isAutocomplete === true
  const ranking = rank(analysis.task, analysis.complexity, isAutocomplete)
  const affine = planAffinity(inputs.conversation, ranking.candidates, analysis, {
    providers: settings.providers,
    snapshot,
    required,
  })
  if (affine.candidates.length === 0) {
    if (ranking.excluded.every((exclusion) => exclusion.kind === 'capability')) {
      throw new InvalidRequestError(
        `No enabled provider can take this request: ${ranking.excluded.map((e) => e.reason).join('; ')}. Shorten the conversation or enable a provider that supports it.`,
        { code: 'no_capable_provider' },
      )
    }
    // Everything is cooling down, open or out of quota: say when capacity returns (429 or 503).
    const enabled = new Set(settings.providers.filter((p) => p.enabled).map((p) => p.name))
    throw exhausted(
      snapshot.targets
        .filter((view) => !view.isUsable && enabled.has(view.target.provider))
        .map((view) => turnedAway(view.target, view.availability, snapshot.atMs)),
    )
  }
  // Autocomplete is latency first: never split, planned or synthesized.
  const split = isAutocomplete
    ? null
    : planParts(request, analysis, mode, (part) => rank(part.task, part.complexity).candidates)
  const mayPlan = !isAutocomplete && (split !== null || settings.planner === 'llm')
  const synthesisCandidates = mayPlan ? rank('general', 'high').candidates : []
  const plannerCandidates =
    mayPlan && settings.planner !== 'local' ? rank('boilerplate', 'low').candidates : []
  const parts = synthesisCandidates.length > 0 ? split : null
  return {
    mode,
    analysis,
    route,
    pinned: false,
    // A split request's parts each go to their own best model: no conversation pin applies.
    candidates: parts === null ? affine.candidates : ranking.candidates,
    excluded: ranking.excluded,
    parts,
    synthesisCandidates,
    plannerCandidates,
    rankPart: (task, complexity) => rank(task, complexity).candidates,
    affinity: parts === null ? affine.affinity : null,
  }
}
