// What a model would answer a coding agent asked to "run cat hello.txt": a call to the agent's own shell
// tool, with the arguments that tool's schema names. Each CLI names its shell tool and its fields its own
// way (Codex exec_command {cmd}, OpenCode bash {command, description}, Qwen Code run_shell_command
// {command, is_background}, Continue Bash {command}, Claude Code Bash {command}).

export interface DeclaredTool {
  name: string
  /** The JSON Schema of its arguments, as the agent declared it. */
  parameters: { properties?: Record<string, unknown> } | undefined
}

const SHELL_TOOLS = ['Bash', 'bash', 'exec_command', 'shell', 'run_shell_command', 'shell_command']

/** A shell-tool call running `command` in `workdir`, or null when the agent declared no shell tool. */
export function shellToolCall(
  tools: readonly DeclaredTool[],
  command: string,
  workdir: string,
): { name: string; input: Record<string, unknown> } | null {
  const tool = SHELL_TOOLS.flatMap((name) => tools.filter((declared) => declared.name === name))[0]
  if (tool === undefined) return null
  const fields = new Set(Object.keys(tool.parameters?.properties ?? {}))
  const input: Record<string, unknown> = {}
  // Codex's legacy `shell` tool takes an argv array; every other one a command line.
  if (fields.has('command')) input.command = tool.name === 'shell' ? ['bash', '-lc', command] : command
  if (fields.has('cmd')) input.cmd = command
  if (fields.has('description')) input.description = 'Show the file'
  if (fields.has('workdir')) input.workdir = workdir
  if (fields.has('is_background')) input.is_background = false
  return { name: tool.name, input }
}
