// Which conversation a request belongs to, as each inbound dialect names it. The wire translators read
// their own fields; the HTTP edge puts a header first; the pipeline only ever sees this one shape.

/** Where a conversation's identity was read, in the order they are tried (the first present wins). */
export type ConversationSource =
  | 'header'
  | 'prompt_cache_key'
  | 'user'
  | 'metadata.user_id'
  | 'previous_response_id'
  | 'conversation'
  | 'fingerprint'

export interface ConversationRef {
  id: string
  source: ConversationSource
}

/** A client's identity field, when it is a usable one (a non-blank string). */
export function refOf(value: unknown, source: ConversationSource): ConversationRef | null {
  return typeof value === 'string' && value.trim() !== '' ? { id: value, source } : null
}
