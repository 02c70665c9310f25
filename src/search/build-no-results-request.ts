import type { ChatRequest } from '../wire/openai/types.js'
import { insertSystemMessage } from './insert-system-message.js'

/**
 * The request for when enrichment found nothing (no search provider, search down, no results): the model
 * is told it has no fresh data and must say so rather than invent current facts or sources. Pure.
 */
export function buildNoResultsRequest(request: ChatRequest, nowIso: string): ChatRequest {
  const content = [
    `Today's date is ${nowIso.slice(0, 10)} (${nowIso}).`,
    '',
    "The user's latest request needs current information from the web, but no web search results are available for it (search is not configured, failed or found nothing). You have no fresh data.",
    '- Say clearly at the start of your answer that you could not check current sources, so the information may be out of date (mention your knowledge cutoff if you know it).',
    '- Then answer as well as you can from what you know, and say what the user should check and where.',
    '- Do not invent sources, URLs, prices, scores, versions or recent events, and do not add a "Sources:" list.',
    "- Answer in the language of the user's request.",
  ].join('\n')
  return insertSystemMessage(request, content)
}
