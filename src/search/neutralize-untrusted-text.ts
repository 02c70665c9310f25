import { cleanSearchText } from './clean-search-text.js'

/** The tag that fences search results in the prompt; never allowed to appear inside the data. */
export const UNTRUSTED_TAG = 'untrusted_search_results'

/**
 * Makes third-party text safe to place inside the fence: one line (no forged "[2] Title:" lines), no
 * angle brackets (no forged closing tag, no `<|im_start|>` chat-template tokens), no `[INST]` markers and
 * no copy of the fence's tag name, then cut at `maxChars`.
 */
export function neutralizeUntrustedText(text: string, maxChars: number): string {
  return cleanSearchText(text, maxChars)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\[(\/?)(INST|SYS)\]/gi, '($1$2)')
    .replace(new RegExp(UNTRUSTED_TAG.replace(/_/g, '[\\s_-]*'), 'gi'), 'untrusted search results')
}
