import type { ChatRequest } from '../../wire/openai/types.js'
import { lastUserText } from '../plan/last-user-text.js'
import type { PlannedPart } from '../types.js'

export interface PartAnswer {
  part: PlannedPart
  answer: string
  /** "provider/model", or null when every provider failed on this part. */
  answeredBy: string | null
}

const INSTRUCTIONS = `You write the final answer to a user's request whose parts were answered separately by specialist models.
Combine the part answers below into one coherent answer, in the order the user asked for things.
Keep every code block, number, fact and translation exactly as given; remove repetition; add only the connective text needed.
If a part could not be answered, say so briefly. Do not mention parts, specialists, models or SmartSplit.`

/** The one extra call of a multi-part request: the user's request plus every part's answer. */
export function buildSynthesisRequest(request: ChatRequest, answers: readonly PartAnswer[]): ChatRequest {
  const systemPrompts = request.messages.filter((m) => m.role === 'system' || m.role === 'developer')
  const body = [
    `The user's request:\n<<<\n${lastUserText(request)}\n>>>`,
    ...answers.map(
      ({ part, answer }) =>
        `Answer to part ${part.index + 1} (${part.task}: "${part.text}"):\n<<<\n${answer}\n>>>`,
    ),
  ].join('\n\n')
  const { tools: _tools, tool_choice: _choice, n: _n, response_format: _format, ...rest } = request
  return {
    ...rest,
    messages: [{ role: 'system', content: INSTRUCTIONS }, ...systemPrompts, { role: 'user', content: body }],
  }
}

/** When synthesis fails: the parts' answers under headings, clean and complete. */
export function concatenateAnswers(answers: readonly PartAnswer[]): string {
  return answers.map(({ part, answer }) => `## ${part.text}\n\n${answer}`).join('\n\n')
}
