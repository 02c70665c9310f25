import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../../errors.js'
import { describePlan } from '../../pipeline/plan/describe-plan.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { HttpServices } from '../types.js'

const PLANNERS = ['local', 'llm', 'auto'] as const
type Planner = (typeof PLANNERS)[number]

function askedPlanner(value: string | undefined): Planner {
  if (value === undefined) return 'local'
  const planner = PLANNERS.find((name) => name === value)
  if (planner !== undefined) return planner
  throw new InvalidRequestError(
    `Query parameter 'planner' must be local (the default: no model is called), llm or auto; got '${String(value).slice(0, 40)}'.`,
    { param: 'planner', code: 'invalid_planner' },
  )
}

export function registerPlan(app: FastifyInstance, services: HttpServices): void {
  // A dry run: takes a chat-completion body and says where it would go. It calls no model unless the
  // caller asks for the LLM planner (?planner=llm, or ?planner=auto for the configured auto policy); the
  // answer says which planner's split it shows.
  app.post<{ Querystring: { planner?: string } }>('/v1/plan', async (request) => {
    const planner = askedPlanner(request.query.planner)
    const chat = parseChatRequest(request.body)
    const plan = await services.pipeline.plan(chat, { planner })
    const refined = await services.pipeline.refine(chat, plan, planner, new AbortController().signal)
    return { ...describePlan(chat, refined), planner: refined === plan ? 'local' : 'llm' }
  })
}
