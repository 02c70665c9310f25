import type { ProviderConfig } from '../../config/types.js'
import { InvalidRequestError, NoProvidersConfiguredError } from '../../errors.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { analyzeRequest } from '../analyze/analyze-request.js'
import { exhausted } from '../execute/open-first-available.js'
import type { AttemptRecord } from '../execute/types.js'
import { parseModelId } from '../route/parse-model-id.js'
import { pinnedCandidates } from '../route/pinned-candidates.js'
import { rankCandidates } from '../route/rank-candidates.js'
import { requiredCapabilities } from '../route/required-capabilities.js'
import type { RoutePlan, RunContext } from '../types.js'
import { planParts } from './plan-parts.js'

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
export function planRoute(request: ChatRequest, ctx: RunContext): RoutePlan {
  if (!ctx.providers.some((p) => p.enabled))
    throw new NoProvidersConfiguredError(noProvidersMessage(ctx.providers))
  const selection = parseModelId(request.model, new Set(ctx.providers.map((p) => p.name)))
  const mode = selection.kind === 'auto' ? (selection.mode ?? ctx.mode) : ctx.mode
  const analysis = analyzeRequest(request)
  const route = analysis.needsWeb && !analysis.isAgentic ? 'enrich' : 'respond'
  if (selection.kind === 'pinned') {
    const candidates = pinnedCandidates(ctx.providers, selection.provider, selection.model)
    if (candidates.length === 0) {
      const provider = ctx.providers.find((p) => p.name === selection.provider)
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
    }
  }
  const snapshot = ctx.state?.snapshot()
  const availability =
    snapshot === undefined
      ? undefined
      : (provider: string, model: string, keyIndex: number) =>
          snapshot.view({ provider, model, keyIndex }).score
  const required = requiredCapabilities(request, analysis.estimatedPromptTokens)
  const rank = (task: typeof analysis.task, complexity: typeof analysis.complexity) =>
    rankCandidates({
      analysis: { task, complexity, isBackgroundCall: analysis.isBackgroundCall },
      mode,
      providers: ctx.providers,
      table: ctx.table,
      required,
      ...(availability === undefined ? {} : { availability }),
      ...(snapshot === undefined ? {} : { isRetired: snapshot.isRetired }),
      ...(ctx.learned === undefined ? {} : { learned: ctx.learned }),
    })
  const ranking = rank(analysis.task, analysis.complexity)
  if (ranking.candidates.length === 0) {
    const capabilityProblems = ranking.excluded.filter((e) => !e.reason.includes('unavailable now'))
    if (snapshot === undefined || capabilityProblems.length === ranking.excluded.length) {
      throw new InvalidRequestError(
        `No enabled provider can take this request: ${ranking.excluded.map((e) => e.reason).join('; ')}. Shorten the conversation or enable a provider that supports it.`,
        { code: 'no_capable_provider' },
      )
    }
    // Everything is cooling down, open or out of quota: say when capacity returns (429 or 503).
    const nowMs = ctx.clock.nowMs()
    const skipped: AttemptRecord[] = snapshot.targets
      .filter(
        (view) => !view.isUsable && ctx.providers.some((p) => p.enabled && p.name === view.target.provider),
      )
      .map((view) => ({
        ...view.target,
        outcome: 'skipped',
        skippedAs:
          view.availability.state === 'quota'
            ? 'quota'
            : view.availability.state === 'cooldown'
              ? 'rate_limit'
              : view.availability.state === 'disabled'
                ? 'auth'
                : 'overloaded',
        status: null,
        message: view.availability.reason,
        retryAfterMs:
          view.availability.untilMs === null ? null : Math.max(0, view.availability.untilMs - nowMs),
        latencyMs: 0,
        limits: null,
      }))
    throw exhausted(skipped)
  }
  const parts = planParts(request, analysis, mode, (part) => rank(part.task, part.complexity).candidates)
  const mayPlan = parts !== null || ctx.planner === 'llm'
  const synthesisCandidates = mayPlan ? rank('general', 'high').candidates : []
  const plannerCandidates = mayPlan && ctx.planner !== 'local' ? rank('boilerplate', 'low').candidates : []
  return {
    mode,
    analysis,
    route,
    pinned: false,
    candidates: ranking.candidates,
    excluded: ranking.excluded,
    parts: synthesisCandidates.length > 0 ? parts : null,
    synthesisCandidates,
    plannerCandidates,
    rankPart: (task, complexity) => rank(task, complexity).candidates,
  }
}
