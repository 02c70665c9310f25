import type { StreamOutcome } from '../pipeline/run.js'
import { CompletionCollector } from '../wire/collect.js'
import type { ChatCompletion } from '../wire/openai/types.js'

/** The answer's chunks as one completion, for a client that asked for JSON rather than a stream. */
export async function collectAnswer(outcome: StreamOutcome): Promise<ChatCompletion> {
  const collector = new CompletionCollector()
  for await (const chunk of outcome.chunks) collector.push(chunk)
  return collector.result()
}
