import type { ChatCompletion } from '../openai/types.js'
import { parseToolArguments } from './parse-tool-arguments.js'
import { toAnthropicMessageId } from './to-anthropic-message-id.js'
import { toAnthropicStopReason } from './to-anthropic-stop-reason.js'
import { toAnthropicUsage } from './to-anthropic-usage.js'
import type { AnthropicMessage, AnthropicResponseBlock } from './types.js'

/**
 * A collected completion → the JSON body of a non-streaming POST /v1/messages answer. `model` is the
 * name to report (usually the one the client asked for). A refusal without content becomes the text.
 */
export function completionToAnthropicMessage(completion: ChatCompletion, model: string): AnthropicMessage {
  const choice = completion.choices[0]
  const content: AnthropicResponseBlock[] = []
  const text = choice?.message.content ?? choice?.message.refusal ?? ''
  if (text !== '') content.push({ type: 'text', text })
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    })
  }
  return {
    id: toAnthropicMessageId(completion.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: toAnthropicStopReason(choice?.finish_reason ?? null),
    stop_sequence: null,
    usage: toAnthropicUsage(completion.usage),
  }
}
