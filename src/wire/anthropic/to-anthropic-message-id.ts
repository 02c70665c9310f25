/**
 * The id an Anthropic client expects (`msg_…`) for a reply SmartSplit stamped with OpenAI's `chatcmpl-…`:
 * the same random part, so logs on both sides still match.
 */
export function toAnthropicMessageId(id: string): string {
  if (id.startsWith('msg_')) return id
  const random = id.startsWith('chatcmpl-') ? id.slice('chatcmpl-'.length) : id
  return `msg_${random.replace(/[^A-Za-z0-9]/g, '')}`
}
