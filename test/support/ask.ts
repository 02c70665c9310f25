import type OpenAI from 'openai'
import { assertMatchesSchema } from './openapi.js'

export interface Answer {
  text: string
  headers: Headers
  usage: OpenAI.CompletionUsage | null
  status: number
}

/**
 * One chat request through the openai SDK, streamed or not, read to its end and reduced to what a
 * client sees either way; every response or chunk is checked against OpenAI's spec on the way.
 */
export async function ask(
  client: OpenAI,
  params: Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'model'> & { model?: string },
  stream: boolean,
): Promise<Answer> {
  const body = { model: 'smartsplit', ...params }
  if (!stream) {
    const { data, response } = await client.chat.completions.create(body).withResponse()
    assertMatchesSchema('CreateChatCompletionResponse', data)
    return {
      text: data.choices[0]?.message.content ?? '',
      headers: response.headers,
      usage: data.usage ?? null,
      status: response.status,
    }
  }
  const { data, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } })
    .withResponse()
  let text = ''
  let usage: OpenAI.CompletionUsage | null = null
  for await (const chunk of data) {
    assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)
    text += chunk.choices[0]?.delta.content ?? ''
    usage = chunk.usage ?? usage
  }
  return { text, headers: response.headers, usage, status: response.status }
}
