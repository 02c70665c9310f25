import type { FastifyInstance } from 'fastify'
import { describePlan } from '../../pipeline/plan/describe-plan.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { HttpServices } from '../types.js'

export function registerPlan(app: FastifyInstance, services: HttpServices): void {
  // A dry run: takes a chat-completion body and says where it would go, without calling any model.
  // ?planner=local forces the local splitter (offline evaluation); otherwise the configured planner may
  // be asked to refine the split, which is the only model call a dry run can make.
  app.post<{ Querystring: { planner?: string } }>('/v1/plan', async (request) => {
    const chat = parseChatRequest(request.body)
    const asked = request.query.planner
    const planner =
      asked === 'local' || asked === 'llm' || asked === 'auto' ? asked : services.pipeline.settings.planner
    const plan = await services.pipeline.plan(chat, { planner })
    const refined = await services.pipeline.refine(chat, plan, planner, new AbortController().signal)
    return describePlan(chat, refined)
  })
}
