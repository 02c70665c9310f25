import type { ConversationView } from './read-conversation.js'
import { CUES } from './task-cues.js'

export interface AgenticSignals {
  isAgentic: boolean
  /** The system prompt belongs to a coding agent, so the work is almost always about code. */
  isCodingAgent: boolean
  reasons: string[]
}

/** Agentic = tools offered, tool traffic in the history, or a coding-agent system prompt. */
export function detectAgentic(view: ConversationView): AgenticSignals {
  const reasons: string[] = []
  if (view.toolCount > 0) reasons.push(`${view.toolCount} tools offered`)
  if (view.hasToolResults) reasons.push('tool calls in history')
  const isCodingAgent = view.systemHead.length > 0 && CUES.codingAgentPrompt.test(view.systemHead)
  if (isCodingAgent) reasons.push('coding-agent system prompt')
  return { isAgentic: reasons.length > 0, isCodingAgent, reasons }
}
