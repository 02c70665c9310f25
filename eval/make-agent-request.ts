import type { ChatMessage, ChatRequest, FunctionTool } from '../src/wire/openai/types.js'

const SYSTEM_PROMPT = `You are an interactive CLI coding agent that helps users with software engineering tasks.
Use the tools available to read and edit files, run shell commands and search the codebase.
Always follow the repository conventions. Keep answers short. Never invent file paths.`

/** A synthetic coding-agent turn of about `targetBytes` with `toolCount` tools, for the time bound. */
export function makeAgentRequest(targetBytes = 30_000, toolCount = 10): ChatRequest {
  const tools: FunctionTool[] = Array.from({ length: toolCount }, (_, i) => ({
    type: 'function',
    function: {
      name: `tool_${i}`,
      description: `Tool number ${i}: reads, writes or searches files in the workspace and returns the output.`,
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, pattern: { type: 'string' }, limit: { type: 'number' } },
        required: ['path'],
      },
    },
  }))
  const fileBody = Array.from(
    { length: 40 },
    (_, i) =>
      `export function handler${i}(input: Input): Output {\n  return transform(input, { step: ${i} })\n}\n`,
  ).join('\n')
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: 'The tests in src/orders fail after the refactor. Find out why and fix them.' },
  ]
  let bytes = JSON.stringify(messages).length + JSON.stringify(tools).length
  let call = 0
  while (bytes < targetBytes) {
    const id = `call_${call++}`
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id, type: 'function', function: { name: 'tool_1', arguments: `{"path":"src/orders/${call}.ts"}` } },
      ],
    })
    messages.push({ role: 'tool', tool_call_id: id, content: fileBody })
    bytes += fileBody.length + 200
  }
  messages.push({
    role: 'user',
    content: `Still failing:\n\`\`\`\nFAIL src/orders/total.test.ts\n  ● total › applies discount\n    expected 90, received 100\n    at Object.<anonymous> (src/orders/total.test.ts:14:23)\n\`\`\`\nPlease fix it.`,
  })
  return { model: 'auto', messages, tools }
}
