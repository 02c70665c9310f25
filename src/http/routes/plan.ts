import type { FastifyInstance } from 'fastify'
import { describePlan } from '../../pipeline/plan/describe-plan.js'
import { refineParts } from '../../pipeline/plan/refine-parts.js'
import { planRoute, type RunContext } from '../../pipeline/run.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { HttpServices } from '../types.js'

export function registerPlan(app: FastifyInstance, services: HttpServices): void {
  // A dry run: takes a chat-completion body and says where it would go, without calling any model.
  // ?planner=local forces the local splitter (offline evaluation); otherwise the configured planner may
  // be asked to refine the split, which is the only model call a dry run can make.
  app.post<{ Querystring: { planner?: string } }>('/v1/plan', async (request) => {
    const chat = parseChatRequest(request.body)
    const configured = services.runContext()
    const asked = request.query.planner
    const planner = asked === 'local' || asked === 'llm' || asked === 'auto' ? asked : undefined
    const ctx: RunContext = planner === undefined ? configured : { ...configured, planner }
    const plan = planRoute(chat, ctx)
    const refined = await refineParts(chat, plan, ctx, new AbortController().signal, {
      path: '/v1/plan',
      receivedAtMs: request.receivedAtMs,
    })
    return describePlan(chat, refined)
  })
}
