import type { ChatMessage, ChatRequest } from '../openai/types.js'
import { FIM_MARKERS, splitFimPrompt } from './split-fim-prompt.js'
import type { CompletionsRequest } from './types.js'

/** OpenAI's legacy default: a completion of 16 tokens unless the client says otherwise. */
const DEFAULT_MAX_TOKENS = 16
/** Chat Completions accepts at most four stop sequences. */
const CHAT_MAX_STOPS = 4

const FILL_INSTRUCTIONS =
  'You complete code and text inside an editor. You are given the text before the cursor and the text after it. Reply with exactly the text to insert at the cursor and nothing else: no explanation, no Markdown code fences, and never repeat text that is already before or after the cursor.'
const CONTINUE_INSTRUCTIONS =
  'You continue text inside an editor. Reply with exactly the text that comes next and nothing else: no explanation, no Markdown code fences, and never repeat the text you were given.'

/** A model's special token (`<file_sep>`, `<|endoftext|>`, `</fim_middle>`): no routed model writes one as text. */
const SPECIAL_TOKEN = /^<\/?[|｜]?[\w▁-]{1,40}[|｜]?>$/u

function stopsOf(stop: CompletionsRequest['stop']): string[] {
  const list = typeof stop === 'string' ? [stop] : (stop ?? [])
  // A template's markers and special tokens mean nothing once the template is taken apart, and would
  // crowd the real stop sequences out of chat's four.
  return list.filter(
    (sequence) => sequence !== '' && !FIM_MARKERS.has(sequence.trim()) && !SPECIAL_TOKEN.test(sequence),
  )
}

/** The ask as chat messages, for every model that has no fill-in-the-middle endpoint. */
function emulationMessages(prefix: string, suffix: string): ChatMessage[] {
  if (suffix === '')
    return [
      { role: 'system', content: CONTINUE_INSTRUCTIONS },
      { role: 'user', content: `<text>\n${prefix}</text>` },
    ]
  return [
    { role: 'system', content: FILL_INSTRUCTIONS },
    {
      role: 'user',
      content: `<before_cursor>\n${prefix}</before_cursor>\n<after_cursor>${suffix}\n</after_cursor>`,
    },
  ]
}

/**
 * A legacy completion → the canonical chat request routed as `autocomplete`: the prefix and suffix (from
 * `suffix`, or from a FIM template the editor wrapped the prompt in) travel in `text_completion` for a
 * provider's native FIM endpoint, and as chat messages asking for the text at the cursor for any other
 * model. The request's own sampling fields carry over; a template's markers are dropped from `stop`.
 */
export function fromCompletionsRequest(req: CompletionsRequest): ChatRequest {
  const templated = req.suffix == null ? splitFimPrompt(req.prompt) : null
  const prefix = templated?.prefix ?? req.prompt
  const suffix = templated?.suffix ?? req.suffix ?? ''
  const stop = stopsOf(req.stop)
  const chat: ChatRequest = {
    model: req.model,
    messages: emulationMessages(prefix, suffix),
    max_tokens: req.max_tokens ?? DEFAULT_MAX_TOKENS,
    text_completion: { prompt: prefix, suffix, stop },
  }
  if (stop.length > 0) chat.stop = stop.slice(0, CHAT_MAX_STOPS)
  for (const field of ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty'] as const) {
    const value = req[field]
    if (typeof value === 'number') chat[field] = value
  }
  if (typeof req.user === 'string') chat.user = req.user
  if (req.stream === true) {
    chat.stream = true
    if (req.stream_options?.include_usage === true) chat.stream_options = { include_usage: true }
  }
  return chat
}
