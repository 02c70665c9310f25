import type { ConversationView } from './read-conversation.js'

const CHAT = '(?:conversation|chat|thread|discussion|session|dialog(?:ue)?|exchange|messages?|interaction)'
const TITLE = new RegExp(
  `\\byou are a title generator\\b|\\b(?:generate|write|create|suggest|give|provide|output|return|extract)\\b[^.\\n]{0,60}\\b(?:title|heading|topic name)\\b[^.\\n]{0,80}\\b${CHAT}\\b|\\b\\d+[-–]\\d+ words? title\\b|\\b(?:short|concise|brief)\\s+title\\b[^.\\n]{0,40}\\b(?:for|of|summariz\\w+)\\b[^.\\n]{0,40}\\b${CHAT}\\b|\\bnew conversation topic\\b|\\bgenerate \\d+[-–]\\d+ (?:broad )?tags\\b|\\bsuggest \\d+ (?:relevant )?follow-?up questions\\b`,
  'i',
)
const COMPACTION = new RegExp(
  `\\b(?:create|write|produce|provide|generate)\\b[^.\\n]{0,30}\\b(?:detailed |concise |brief |short )?summary of (?:the|this|our) ${CHAT}\\b|\\bsummari[sz]e (?:the|this|our) (?:entire |whole )?${CHAT}(?: so far| history| above)\\b|\\b${CHAT} (?:so far|history) (?:into|as) (?:a )?summary\\b|\\bcompact(?:ing|ion)? (?:the |this )?(?:${CHAT}|context)\\b|\\bcontext window is (?:almost )?full\\b`,
  'i',
)

export interface BackgroundCall {
  kind: 'title' | 'compaction'
  reason: string
}

/**
 * Agents' housekeeping calls (chat titles, tags, follow-ups, history compaction): cheap work that
 * should never take a strong model. Reads the system prompt head and the user turn's ends only.
 */
export function detectBackgroundCall(view: ConversationView): BackgroundCall | null {
  const head = view.userText.slice(0, 600)
  const tail = view.userText.length > 600 ? view.userText.slice(-400) : ''
  const system = view.systemHead.slice(0, 1_500)
  if (TITLE.test(system) || TITLE.test(head) || (tail.length > 0 && TITLE.test(tail))) {
    return { kind: 'title', reason: 'background call: title or tag generation' }
  }
  // "Summarize this conversation" with a pasted transcript is real work; the agent's own
  // compaction summarizes the chat history it sends along, or says so in its system prompt.
  const hasHistory = view.messageCount >= 3
  if (COMPACTION.test(system) || (hasHistory && (COMPACTION.test(head) || COMPACTION.test(tail)))) {
    return { kind: 'compaction', reason: 'background call: conversation summary or compaction' }
  }
  return null
}
