import { InvalidRequestError } from '../../errors.js'
import { describeZodIssue } from '../anthropic/describe-zod-issue.js'
import { preferMatchingBranch } from './prefer-matching-branch.js'
import { responsesRequestSchema } from './responses-request-schema.js'
import type { ResponsesRequest } from './types.js'

const STATELESS =
  'SmartSplit is stateless and stores no responses: resend the whole conversation in `input` instead'

function reject(param: string, message: string): never {
  throw new InvalidRequestError(`${param}: ${message}`, { param, code: 'unsupported_parameter' })
}

/** Fields that need state SmartSplit does not keep (stored responses, conversations, prompts, jobs). */
function rejectStatefulUse(req: ResponsesRequest): void {
  if (typeof req.previous_response_id === 'string')
    reject('previous_response_id', `${STATELESS} (previous_response_id is not supported).`)
  if (req.conversation !== undefined && req.conversation !== null)
    reject('conversation', `${STATELESS} (conversations are not supported).`)
  if (req.prompt !== undefined && req.prompt !== null)
    reject('prompt', 'stored prompt templates are not supported; send the prompt text in `input`.')
  if (req.background === true)
    reject('background', 'background responses need stored responses, which SmartSplit does not keep.')
  if (typeof req.input === 'string') return
  req.input.forEach((item, index) => {
    if (item?.type === 'item_reference')
      reject(`input.${index}`, `${STATELESS} (item_reference cannot be resolved).`)
  })
}

/** Only function tools reach a routed model, so only they can be forced. */
function rejectUnservableToolChoice(req: ResponsesRequest): void {
  const choice = req.tool_choice
  if (choice === undefined || choice === null || typeof choice === 'string') return
  if (choice.type === 'allowed_tools') return
  if (choice.type === 'function') {
    const name = (choice as { name: string }).name
    const isDeclared = (req.tools ?? []).some((tool) => tool.type === 'function' && tool.name === name)
    if (!isDeclared) reject('tool_choice.name', `no function tool named "${name}" is declared in tools.`)
    return
  }
  reject(
    'tool_choice.type',
    `"${choice.type}" is a hosted OpenAI tool; SmartSplit only serves function tools (type "function").`,
  )
}

function hasConversation(req: ResponsesRequest): boolean {
  if (typeof req.input === 'string') return req.input !== ''
  return req.input.some((item) => item !== null && item.type !== 'reasoning')
}

/**
 * Validates a POST /v1/responses body and throws InvalidRequestError naming the first bad field (param
 * `input.0.content.1.text`), as OpenAI would. Stateless use only: previous_response_id, conversation,
 * item_reference and background are refused with advice; store is accepted and ignored.
 */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.')
  }
  const result = responsesRequestSchema.safeParse(body)
  if (!result.success) {
    const first = result.error.issues[0]
    if (first === undefined) throw new InvalidRequestError('The request body is invalid.')
    const { param, message } = describeZodIssue(preferMatchingBranch(first))
    throw new InvalidRequestError(param === null ? message : `${param}: ${message}`, {
      param,
      code: 'invalid_value',
    })
  }
  const req = result.data
  rejectStatefulUse(req)
  rejectUnservableToolChoice(req)
  if (!hasConversation(req)) {
    throw new InvalidRequestError('input: must contain at least one message or function call output.', {
      param: 'input',
      code: 'invalid_value',
    })
  }
  return req
}
