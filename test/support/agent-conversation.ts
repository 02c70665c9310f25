import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'

// A coding agent's conversation as each inbound dialect carries it: a system prompt and tools that never
// change, then turns that alternate a user request (answered by a tool call) and the tool's result
// (answered by text), so the history grows by two or three messages a turn. Each driver keeps its own
// history in its dialect and reports what a client sees of one turn.

export const AGENT_SYSTEM =
  'You are a coding agent working in /repo. Use the tools to read files before you change them.'

const READ_FILE = {
  name: 'read_file',
  description: 'Read a file of the repository',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
}

/** What the client saw of one turn. */
export interface TurnResult {
  provider: string | null
  model: string | null
  affinity: string | null
  /** The tool call the model asked for, or null when it answered with text. */
  toolCall: { id: string; name: string; arguments: string } | null
  text: string
  /** Prompt tokens the answer reported as served from the provider's cache. */
  cachedTokens: number | null
}

/** How a conversation names itself: which field (or header) carries which id. */
export interface Identity {
  headers?: Record<string, string>
  body?: Record<string, unknown>
}

export interface ConversationDriver {
  turn(index: number, stream: boolean): Promise<TurnResult>
}

const header = (headers: Headers, name: string): string | null => headers.get(name)

/** The user's ask on even turns; odd turns send the result of the tool call the model just made. */
const askFor = (index: number): string => `Step ${index / 2}: read src/module-${index}.ts and explain it.`
const resultFor = (index: number): string => `export const value${index} = ${index} // file contents`

/**
 * A conversation through the Chat Completions API; given several base URLs (instances sharing their
 * state), its turns go to each in turn.
 */
export function chatConversation(
  baseURL: string | readonly string[],
  identity: Identity,
): ConversationDriver {
  const clients = (typeof baseURL === 'string' ? [baseURL] : baseURL).map(
    (url) => new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0 }),
  )
  const history: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: AGENT_SYSTEM }]
  let pendingCall: string | null = null
  return {
    async turn(index, stream) {
      const client = clients[index % clients.length]!
      if (pendingCall === null) history.push({ role: 'user', content: askFor(index) })
      else history.push({ role: 'tool', tool_call_id: pendingCall, content: resultFor(index) })
      const params = {
        model: 'smartsplit',
        messages: history,
        tools: [{ type: 'function' as const, function: READ_FILE }],
        ...identity.body,
      }
      const options = { headers: identity.headers ?? {} }
      let result: TurnResult
      if (!stream) {
        const { data, response } = await client.chat.completions.create(params, options).withResponse()
        const message = data.choices[0]!.message
        const call = message.tool_calls?.[0]
        result = {
          provider: header(response.headers, 'x-smartsplit-provider'),
          model: header(response.headers, 'x-smartsplit-model'),
          affinity: header(response.headers, 'x-smartsplit-affinity'),
          toolCall:
            call?.type === 'function'
              ? { id: call.id, name: call.function.name, arguments: call.function.arguments }
              : null,
          text: message.content ?? '',
          cachedTokens: data.usage?.prompt_tokens_details?.cached_tokens ?? null,
        }
      } else {
        const { data, response } = await client.chat.completions
          .create({ ...params, stream: true, stream_options: { include_usage: true } }, options)
          .withResponse()
        let text = ''
        let call: TurnResult['toolCall'] = null
        let cachedTokens: number | null = null
        for await (const chunk of data) {
          const delta = chunk.choices[0]?.delta
          text += delta?.content ?? ''
          const fragment = delta?.tool_calls?.[0]
          if (fragment?.id !== undefined)
            call = { id: fragment.id, name: fragment.function?.name ?? '', arguments: '' }
          if (call !== null && fragment?.function?.arguments) call.arguments += fragment.function.arguments
          cachedTokens = chunk.usage?.prompt_tokens_details?.cached_tokens ?? cachedTokens
        }
        result = {
          provider: header(response.headers, 'x-smartsplit-provider'),
          model: header(response.headers, 'x-smartsplit-model'),
          affinity: header(response.headers, 'x-smartsplit-affinity'),
          toolCall: call,
          text,
          cachedTokens,
        }
      }
      const call = result.toolCall
      if (call !== null) {
        history.push({
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } },
          ],
        })
      } else history.push({ role: 'assistant', content: result.text })
      pendingCall = call?.id ?? null
      return result
    },
  }
}

export function anthropicConversation(origin: string, identity: Identity): ConversationDriver {
  const client = new Anthropic({ baseURL: origin, apiKey: 'x', maxRetries: 0 })
  const history: Anthropic.MessageParam[] = []
  let pendingCall: string | null = null
  return {
    async turn(index, stream) {
      history.push(
        pendingCall === null
          ? { role: 'user', content: askFor(index) }
          : {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: pendingCall, content: resultFor(index) }],
            },
      )
      const params = {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: [
          { type: 'text' as const, text: AGENT_SYSTEM, cache_control: { type: 'ephemeral' as const } },
        ],
        tools: [
          {
            name: READ_FILE.name,
            description: READ_FILE.description,
            input_schema: READ_FILE.parameters as Anthropic.Tool.InputSchema,
          },
        ],
        messages: history,
        ...identity.body,
      }
      const options = { headers: identity.headers ?? {} }
      let content: Anthropic.ContentBlock[] = []
      let cachedTokens: number | null = null
      let headers: Headers
      if (!stream) {
        const { data, response } = await client.messages.create(params, options).withResponse()
        content = data.content
        cachedTokens = data.usage.cache_read_input_tokens ?? null
        headers = response.headers
      } else {
        const { data, response } = await client.messages
          .create({ ...params, stream: true }, options)
          .withResponse()
        headers = response.headers
        const blocks: { type: string; id?: string; name?: string; text: string; json: string }[] = []
        for await (const event of data) {
          if (event.type === 'content_block_start') {
            const block = event.content_block
            blocks.push(
              block.type === 'tool_use'
                ? { type: 'tool_use', id: block.id, name: block.name, text: '', json: '' }
                : { type: block.type, text: '', json: '' },
            )
          } else if (event.type === 'content_block_delta') {
            const last = blocks.at(-1)!
            if (event.delta.type === 'text_delta') last.text += event.delta.text
            if (event.delta.type === 'input_json_delta') last.json += event.delta.partial_json
          } else if (event.type === 'message_delta') {
            cachedTokens = event.usage.cache_read_input_tokens ?? cachedTokens
          }
        }
        content = blocks.map((block) =>
          block.type === 'tool_use'
            ? ({
                type: 'tool_use',
                id: block.id!,
                name: block.name!,
                input: JSON.parse(block.json || '{}'),
              } as Anthropic.ToolUseBlock)
            : ({ type: 'text', text: block.text, citations: null } as Anthropic.TextBlock),
        )
      }
      const toolUse = content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use')
      const text = content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('')
      history.push({ role: 'assistant', content: content as Anthropic.ContentBlockParam[] })
      pendingCall = toolUse?.id ?? null
      return {
        provider: header(headers, 'x-smartsplit-provider'),
        model: header(headers, 'x-smartsplit-model'),
        affinity: header(headers, 'x-smartsplit-affinity'),
        toolCall:
          toolUse === undefined
            ? null
            : { id: toolUse.id, name: toolUse.name, arguments: JSON.stringify(toolUse.input) },
        text,
        cachedTokens,
      }
    },
  }
}

export function responsesConversation(baseURL: string, identity: Identity): ConversationDriver {
  const client = new OpenAI({ baseURL, apiKey: 'x', maxRetries: 0 })
  const input: OpenAI.Responses.ResponseInputItem[] = []
  let pendingCall: string | null = null
  return {
    async turn(index, stream) {
      input.push(
        pendingCall === null
          ? { role: 'user', content: askFor(index) }
          : { type: 'function_call_output', call_id: pendingCall, output: resultFor(index) },
      )
      const params = {
        model: 'smartsplit',
        instructions: AGENT_SYSTEM,
        store: false,
        tools: [{ type: 'function' as const, strict: false, ...READ_FILE }],
        input,
        ...identity.body,
      }
      const options = { headers: identity.headers ?? {} }
      let output: OpenAI.Responses.ResponseOutputItem[] = []
      let cachedTokens: number | null = null
      let headers: Headers
      if (!stream) {
        const { data, response } = await client.responses.create(params, options).withResponse()
        output = data.output
        cachedTokens = data.usage?.input_tokens_details.cached_tokens ?? null
        headers = response.headers
      } else {
        const { data, response } = await client.responses
          .create({ ...params, stream: true }, options)
          .withResponse()
        headers = response.headers
        for await (const event of data) {
          if (event.type === 'response.completed') {
            output = event.response.output
            cachedTokens = event.response.usage?.input_tokens_details.cached_tokens ?? null
          }
        }
      }
      const call = output.find(
        (item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === 'function_call',
      )
      const text = output
        .flatMap((item) => (item.type === 'message' ? item.content : []))
        .flatMap((part) => (part.type === 'output_text' ? [part.text] : []))
        .join('')
      for (const item of output) {
        if (item.type === 'function_call')
          input.push({
            type: 'function_call',
            call_id: item.call_id,
            name: item.name,
            arguments: item.arguments,
          })
        else if (item.type === 'message') input.push({ role: 'assistant', content: text })
      }
      pendingCall = call?.call_id ?? null
      return {
        provider: header(headers, 'x-smartsplit-provider'),
        model: header(headers, 'x-smartsplit-model'),
        affinity: header(headers, 'x-smartsplit-affinity'),
        toolCall:
          call === undefined ? null : { id: call.call_id, name: call.name, arguments: call.arguments },
        text,
        cachedTokens,
      }
    },
  }
}
