// Request bodies for the analyzer scenario: short everyday prompts, and a ~30 KB coding-agent turn
// with 10 tools, file contents and tool results in its history, as Cline or OpenCode send them.

export const SMALL_PROMPTS: string[] = [
  'Write a Python function that checks whether a string is a palindrome.',
  'What is the capital of Australia?',
  'Summarize this paragraph in two sentences: The quick brown fox jumps over the lazy dog many times a day.',
  'Translate "good morning, how are you?" into Spanish and German.',
  'Prove that the square root of 2 is irrational.',
  'What happened in the news about the European Central Bank today?',
  'Generate a .gitignore for a Node.js project.',
  'Explain the difference between a process and a thread.',
  'Solve 3x + 7 = 22 and show the steps.',
  'Refactor this loop into a map call: for (const x of xs) { ys.push(x * 2) }',
]

export function smallRequest(prompt: string): Record<string, unknown> {
  return { model: 'smartsplit', messages: [{ role: 'user', content: prompt }] }
}

const TOOL_NAMES = [
  'read_file',
  'write_file',
  'list_files',
  'search_files',
  'execute_command',
  'apply_diff',
  'ask_followup_question',
  'attempt_completion',
  'browser_action',
  'use_mcp_tool',
]

function tool(name: string, i: number): Record<string, unknown> {
  return {
    type: 'function',
    function: {
      name,
      description: `${name.replace(/_/g, ' ')}: operates on the workspace (tool ${i}). Paths are relative to the project root; output is truncated to 2,000 lines. Use it only when the task needs it.`,
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Path relative to the workspace root.' },
          content: { type: 'string', description: 'Full content to write, or the command to run.' },
          regex: { type: 'string', description: 'A Rust regular expression.' },
          recursive: { type: 'boolean' },
        },
        required: ['path'],
      },
    },
  }
}

const SOURCE_LINE = (i: number): string =>
  `export function handle${i}(order: Order, rules: PricingRules): Money {\n  const subtotal = order.lines.reduce((sum, line) => sum + line.price * line.quantity, 0)\n  return applyDiscounts(subtotal, rules.discounts, { step: ${i} })\n}\n`

/** A coding-agent request of about `targetBytes` serialized, with `toolCount` tools. */
export function agentRequest(targetBytes = 30_000, toolCount = 10): Record<string, unknown> {
  const tools = TOOL_NAMES.slice(0, toolCount).map(tool)
  const messages: Record<string, unknown>[] = [
    {
      role: 'system',
      content:
        'You are Cline, a highly skilled software engineer with extensive knowledge in many programming languages, frameworks, design patterns, and best practices. You have access to tools that read and edit files and run commands. Use one tool per message and wait for its result.',
    },
    {
      role: 'user',
      content: 'The order total tests fail since the pricing refactor. Find the cause and fix it.',
    },
  ]
  const file = Array.from({ length: 12 }, (_, i) => SOURCE_LINE(i)).join('\n')
  let call = 0
  const size = (): number => JSON.stringify({ model: 'smartsplit', messages, tools }).length
  while (size() < targetBytes - 400) {
    const id = `call_${(call++).toString().padStart(4, '0')}`
    messages.push({
      role: 'assistant',
      content: 'Let me look at the pricing module.',
      tool_calls: [
        {
          id,
          type: 'function',
          function: { name: 'read_file', arguments: `{"path":"src/pricing/p${call}.ts"}` },
        },
      ],
    })
    messages.push({ role: 'tool', tool_call_id: id, content: file })
  }
  messages.push({
    role: 'user',
    content:
      'Still failing:\n```\nFAIL src/orders/total.test.ts\n  ● total › applies the loyalty discount\n    expected 90, received 100\n```\nPlease fix it.',
  })
  return { model: 'smartsplit', messages, tools, stream: true }
}
