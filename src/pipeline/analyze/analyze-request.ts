import type { ChatRequest } from '../../wire/openai/types.js'
import { classifyText } from './classify-text.js'
import { type AgenticSignals, detectAgentic } from './detect-agentic.js'
import { detectBackgroundCall } from './detect-background-call.js'
import { detectLanguages } from './detect-languages.js'
import { estimateComplexity } from './estimate-complexity.js'
import { readConversation } from './read-conversation.js'
import { CUES } from './task-cues.js'
import type { Analysis, TaskType } from './types.js'

/**
 * Reads a request as a person would: the last user turn first (bounded head and tail), the system
 * prompt's head and the shape of the history as context. Pure and fast (well under 1 ms on a
 * 30 KB agent request): nothing scans the whole history with regexes.
 */
export function analyzeRequest(request: ChatRequest): Analysis {
  const conversation = readConversation(request)
  const agentic = detectAgentic(conversation)
  const estimatedPromptTokens = Math.ceil(conversation.totalChars / 4)
  const languages = detectLanguages(conversation.userText)
  const base = {
    isAgentic: agentic.isAgentic,
    estimatedPromptTokens,
    ...(languages.length > 0 ? { languages } : {}),
  }

  if (request.text_completion !== undefined) {
    // An editor's autocomplete: code, latency first, never split, searched or held back.
    return {
      ...base,
      task: 'code',
      complexity: 'low',
      needsWeb: false,
      isAgentic: false,
      isBackgroundCall: false,
      isAutocomplete: true,
      reasons: ['legacy completion: autocomplete'],
    }
  }
  const background = detectBackgroundCall(conversation)
  if (background !== null) {
    return {
      ...base,
      task: 'boilerplate',
      complexity: 'low',
      needsWeb: false,
      isBackgroundCall: true,
      reasons: [...agentic.reasons, background.reason],
    }
  }
  if (conversation.userText.trim().length === 0) {
    return {
      ...base,
      task: agentic.isCodingAgent ? 'code' : 'general',
      complexity: agentic.isAgentic ? 'medium' : 'low',
      needsWeb: false,
      isBackgroundCall: false,
      reasons: [...agentic.reasons, 'no user text'],
    }
  }

  const classification = classifyText(conversation.userText, conversation.userLength, {
    isCodingAgent: agentic.isCodingAgent,
    systemHint: agentic.isCodingAgent ? null : readSystemHint(conversation.systemHead),
  })
  const isCodeInAgent = isCodeWorkInAgent(classification.task, classification.isAboutCode, agentic)
  const task: TaskType = isCodeInAgent ? 'code' : classification.task
  let complexity = estimateComplexity(task, conversation.userText, conversation.userLength)
  // Agent loops carry files and tool output: the next step rarely suits a small model.
  if (agentic.isAgentic && complexity === 'low' && task !== 'boilerplate') complexity = 'medium'
  return {
    ...base,
    task,
    complexity,
    needsWeb: task === 'web_search',
    isBackgroundCall: false,
    reasons: [
      ...agentic.reasons,
      `${classification.task} (p=${classification.confidence.toFixed(2)})`,
      ...(isCodeInAgent ? ["request about the user's code inside an agent is code"] : []),
      ...dedupe(classification.reasons),
    ],
  }
}

/** Types an agent's work on the user's project may hide behind plain words. */
const PLAIN_TYPES: ReadonlySet<TaskType> = new Set(['general', 'boilerplate', 'reasoning', 'summarize'])

/**
 * Inside an agent, work on the user's code is code even when the words are plain ("make the header
 * sticky", "why does this fail?", "summarize what this module does"). A coding agent's general and
 * boilerplate asks are always about the project; other plain types, and any plain type when tools
 * alone make the request agentic, need the text to be about code. Fresh facts, math and translation
 * keep their own type.
 */
function isCodeWorkInAgent(task: TaskType, isAboutCode: boolean, agentic: AgenticSignals): boolean {
  if (!agentic.isAgentic || !PLAIN_TYPES.has(task)) return false
  if (agentic.isCodingAgent && (task === 'general' || task === 'boilerplate')) return true
  return isAboutCode
}

/** A plain system prompt can fix the task ("You are a translator into French"). */
function readSystemHint(systemHead: string): TaskType | null {
  const head = systemHead.slice(0, 500)
  if (head.length === 0) return null
  if (CUES.translateVerb.test(head)) return 'translation'
  if (CUES.summarizeVerb.test(head)) return 'summarize'
  return null
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)]
}
