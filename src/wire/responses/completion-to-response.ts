import type { ChatCompletion } from '../openai/types.js'
import { toResponseEcho } from './to-response-echo.js'
import { toResponseStatus } from './to-response-status.js'
import { toResponseUsage } from './to-response-usage.js'
import type { ResponseContext, ResponseObject, ResponseOutputItem } from './types.js'

/**
 * A collected completion → the JSON body of a non-streaming POST /v1/responses answer: the text as one
 * message item with an output_text part (a refusal without content becomes the text), then one
 * function_call item per tool call, whose call_id is the upstream tool-call id so the client's
 * function_call_output pairs up with it on the next turn. `model` is the model that answered.
 */
export function completionToResponse(completion: ChatCompletion, context: ResponseContext): ResponseObject {
  const { token } = context
  const choice = completion.choices[0]
  const ending = toResponseStatus(choice?.finish_reason ?? null)
  const itemStatus = ending.status === 'incomplete' ? 'incomplete' : 'completed'
  const output: ResponseOutputItem[] = []
  const text = choice?.message.content ?? choice?.message.refusal ?? ''
  if (text !== '') {
    output.push({
      type: 'message',
      id: `msg_${token(32)}`,
      status: itemStatus,
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    })
  }
  for (const call of choice?.message.tool_calls ?? []) {
    output.push({
      type: 'function_call',
      id: `fc_${token(32)}`,
      call_id: call.id || `call_${token(24)}`,
      name: call.function.name,
      arguments: call.function.arguments,
      status: itemStatus,
    })
  }
  const response: ResponseObject = {
    id: `resp_${token(32)}`,
    object: 'response',
    created_at: completion.created,
    completed_at: ending.status === 'completed' ? Math.floor(context.nowMs() / 1000) : null,
    status: ending.status,
    error: null,
    incomplete_details: ending.incomplete_details,
    model: completion.model,
    output,
    ...toResponseEcho(context.request),
  }
  if (completion.usage !== undefined) response.usage = toResponseUsage(completion.usage)
  return response
}
