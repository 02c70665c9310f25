import type { Dispatcher } from 'undici'
import type { SseEvent } from '../wire/sse.js'
import { toUpstreamError } from './post-upstream.js'
import { readJsonAnswer } from './read-json-answer.js'
import type { EventTranslator } from './read-upstream-stream.js'

export interface JsonAsStreamOptions {
  provider: string
  /** upstream_limits.max_answer_bytes: the whole body is read before any of it is translated. */
  maxAnswerBytes: number
}

/**
 * A whole JSON body sent where a stream was asked for (some upstreams, and proxies in front of them,
 * ignore `stream: true`), read bounded and turned into the events the stream would have carried, then
 * translated by the same translator as the SSE path: the pipeline cannot tell the two apart.
 */
export async function* readJsonAsStream<T>(
  body: Dispatcher.ResponseData['body'],
  options: JsonAsStreamOptions,
  toEvents: (json: unknown) => SseEvent[],
  translator: EventTranslator<T>,
): AsyncGenerator<T> {
  const json = await readJsonAnswer(body, options.maxAnswerBytes, options.provider)
  try {
    for (const event of toEvents(json)) yield* translator.push(event)
    yield* translator.finish()
  } catch (error) {
    throw toUpstreamError(error, options.provider)
  }
}
