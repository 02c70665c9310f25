import type { ChatChunk, FinishReason, ToolCallDelta, Usage } from '../openai/types.js'
import { toResponseEcho } from './to-response-echo.js'
import { toResponseError } from './to-response-error.js'
import { toResponseStatus } from './to-response-status.js'
import { toResponseUsage } from './to-response-usage.js'
import { toResponsesErrorEvent } from './to-responses-error-event.js'
import type {
  ResponseContext,
  ResponseEcho,
  ResponseFunctionCall,
  ResponseObject,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponsesFailure,
  ResponsesSseEvent,
} from './types.js'

export interface ResponsesEventWriter {
  /** One canonical chunk → the Responses events it implies (the first chunk also opens the Response). */
  push(chunk: ChatChunk): ResponsesSseEvent[]
  /** Call once the chunks end: closes every open item, then response.completed (or .incomplete). */
  finish(): ResponsesSseEvent[]
  /** Call when the answer broke: response.failed with what was sent, or `error` if nothing was. */
  fail(failure: ResponsesFailure): ResponsesSseEvent[]
}

type ItemStatus = ResponseOutputMessage['status']

interface OpenMessage {
  item: ResponseOutputMessage
  outputIndex: number
}

interface OpenCall {
  item: ResponseFunctionCall
  outputIndex: number
}

/**
 * Canonical chunks → the Responses SSE sequence the openai SDK and the Codex CLI read: response.created,
 * response.in_progress; per text run output_item.added (message), content_part.added, output_text.delta…,
 * output_text.done, content_part.done, output_item.done; per tool call output_item.added (function_call),
 * function_call_arguments.delta…, function_call_arguments.done, output_item.done; then response.completed
 * (response.incomplete when cut by max tokens). Every event carries `type` and a `sequence_number` from 0.
 * A tool call closes the text before it; tool calls stay open until the end, so a provider that
 * interleaves fragments of two calls still yields whole arguments. Refusals are sent as text and
 * reasoning deltas are dropped: no routed provider's reasoning can be replayed to another.
 */
export function createResponsesEventWriter(context: ResponseContext): ResponsesEventWriter {
  const { token } = context
  const echo: ResponseEcho = toResponseEcho(context.request)
  const responseId = `resp_${token(32)}`
  const output: ResponseOutputItem[] = []
  const calls = new Map<number, OpenCall>()
  let sequenceNumber = 0
  let createdAt = 0
  let model = context.request.model
  let hasStarted = false
  let hasEnded = false
  let message: OpenMessage | null = null
  let finishReason: FinishReason | null = null
  let usage: Usage | null = null

  const emit = (type: string, payload: Record<string, unknown>): ResponsesSseEvent => ({
    event: type,
    data: JSON.stringify({ type, sequence_number: sequenceNumber++, ...payload }),
  })

  const snapshot = (
    ending: Pick<ResponseObject, 'status' | 'incomplete_details' | 'error'>,
  ): ResponseObject => {
    const response: ResponseObject = {
      id: responseId,
      object: 'response',
      created_at: createdAt,
      completed_at: ending.status === 'completed' ? Math.floor(context.nowMs() / 1000) : null,
      status: ending.status,
      error: ending.error,
      incomplete_details: ending.incomplete_details,
      model,
      output,
      ...echo,
    }
    if (usage !== null && ending.status !== 'in_progress') response.usage = toResponseUsage(usage)
    return response
  }

  const start = (chunk: ChatChunk | null): ResponsesSseEvent[] => {
    if (hasStarted) return []
    hasStarted = true
    if (chunk?.model) model = chunk.model
    createdAt = Math.floor(context.nowMs() / 1000)
    const response = snapshot({ status: 'in_progress', incomplete_details: null, error: null })
    return [emit('response.created', { response }), emit('response.in_progress', { response })]
  }

  const closeMessage = (status: ItemStatus): ResponsesSseEvent[] => {
    if (message === null) return []
    const { item, outputIndex } = message
    message = null
    const part = item.content[0]!
    item.status = status
    const at = { item_id: item.id, output_index: outputIndex, content_index: 0 }
    return [
      emit('response.output_text.done', { ...at, text: part.text, logprobs: [] }),
      emit('response.content_part.done', { ...at, part }),
      emit('response.output_item.done', { output_index: outputIndex, item }),
    ]
  }

  const appendText = (text: string): ResponsesSseEvent[] => {
    const out: ResponsesSseEvent[] = []
    if (message === null) {
      const item: ResponseOutputMessage = {
        type: 'message',
        id: `msg_${token(32)}`,
        status: 'in_progress',
        role: 'assistant',
        content: [],
      }
      message = { item, outputIndex: output.length }
      output.push(item)
      out.push(emit('response.output_item.added', { output_index: message.outputIndex, item }))
      const part = { type: 'output_text' as const, text: '', annotations: [] as [], logprobs: [] as [] }
      item.content.push(part)
      const at = { item_id: item.id, output_index: message.outputIndex, content_index: 0 }
      out.push(emit('response.content_part.added', { ...at, part }))
    }
    message.item.content[0]!.text += text
    const at = { item_id: message.item.id, output_index: message.outputIndex, content_index: 0 }
    out.push(emit('response.output_text.delta', { ...at, delta: text, logprobs: [] }))
    return out
  }

  const appendToolCall = (delta: ToolCallDelta): ResponsesSseEvent[] => {
    const out: ResponsesSseEvent[] = []
    let call = calls.get(delta.index)
    if (call === undefined) {
      out.push(...closeMessage('completed'))
      const item: ResponseFunctionCall = {
        type: 'function_call',
        id: `fc_${token(32)}`,
        // Providers that omit the id still need one: the client answers with function_call_output by call_id.
        call_id: delta.id || `call_${token(24)}`,
        name: delta.function?.name ?? '',
        arguments: '',
        status: 'in_progress',
      }
      call = { item, outputIndex: output.length }
      calls.set(delta.index, call)
      output.push(item)
      out.push(emit('response.output_item.added', { output_index: call.outputIndex, item }))
    } else if (delta.function?.name) {
      call.item.name += delta.function.name
    }
    const fragment = delta.function?.arguments
    if (fragment) {
      call.item.arguments += fragment
      const at = { item_id: call.item.id, output_index: call.outputIndex }
      out.push(emit('response.function_call_arguments.delta', { ...at, delta: fragment }))
    }
    return out
  }

  const closeCalls = (status: ItemStatus): ResponsesSseEvent[] =>
    [...calls.values()].flatMap(({ item, outputIndex }) => {
      item.status = status
      const { name, arguments: args } = item
      return [
        emit('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: outputIndex,
          name,
          arguments: args,
        }),
        emit('response.output_item.done', { output_index: outputIndex, item }),
      ]
    })

  return {
    push(chunk) {
      if (hasEnded) return []
      const out = start(chunk)
      if (chunk.usage) usage = chunk.usage
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue
        const { content, refusal, tool_calls: toolCalls } = choice.delta
        if (typeof content === 'string' && content !== '') out.push(...appendText(content))
        if (typeof refusal === 'string' && refusal !== '') out.push(...appendText(refusal))
        for (const delta of toolCalls ?? []) out.push(...appendToolCall(delta))
        if (choice.finish_reason !== null) finishReason = choice.finish_reason
      }
      return out
    },
    finish() {
      if (hasEnded) return []
      hasEnded = true
      const out = start(null)
      const ending = toResponseStatus(finishReason)
      const itemStatus: ItemStatus = ending.status === 'incomplete' ? 'incomplete' : 'completed'
      out.push(...closeMessage(itemStatus), ...closeCalls(itemStatus))
      const response = snapshot({ ...ending, error: null })
      const type = ending.status === 'incomplete' ? 'response.incomplete' : 'response.completed'
      out.push(emit(type, { response }))
      return out
    },
    fail(failure) {
      if (hasEnded) return []
      hasEnded = true
      if (!hasStarted) return [toResponsesErrorEvent(failure, sequenceNumber++)]
      for (const item of output) if (item.status === 'in_progress') item.status = 'incomplete'
      const error = toResponseError(failure)
      const response = snapshot({ status: 'failed', incomplete_details: null, error })
      return [emit('response.failed', { response })]
    },
  }
}
