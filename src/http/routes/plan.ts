import type { FastifyInstance } from 'fastify'
import { describePlan } from '../../pipeline/plan/describe-plan.js'
import { planRoute } from '../../pipeline/run.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { HttpServices } from '../types.js'

export function registerPlan(app: FastifyInstance, services: HttpServices): void {
  // A dry run: takes a chat-completion body and says where it would go, without calling any model.
  app.post('/v1/plan', async (request) => {
    const chat = parseChatRequest(request.body)
    const ctx = services.runContext()
    return describePlan(chat, planRoute(chat, ctx))
  })
}
