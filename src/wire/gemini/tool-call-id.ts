// How a Gemini thought signature survives the trip through an OpenAI client.
//
// Gemini 3 answers 400 "Function call is missing a thought_signature" when a model turn's functionCall
// comes back without the opaque signature it was sent with. OpenAI SDKs (openai-node, openai-python,
// the AI SDK) rebuild `tool_calls` entries from known fields, so an extra field on the call is dropped,
// but every client echoes the call `id` verbatim: it must, to pair the `tool` result with its call.
// So the signature rides inside the id we invent: `<baseId>__thought__<form><base64url payload>`.
//
// Why not an id→signature LRU on the adapter side: it forgets on restart, is not shared between
// instances, and silently loses the signature after eviction; the id needs no state at all.
// The id stays within [A-Za-z0-9_-], the character set Anthropic requires for tool_use ids, so a
// conversation can still fail over to other dialects (OpenAI caps ids at 40 characters: an adapter that
// forwards Gemini-born ids to OpenAI itself should call decodeToolCallId and send `baseId`).

const SEPARATOR = '__thought__'
// 'b': the signature is canonical base64 and is carried as its bytes in base64url (no growth);
// 's': anything else (e.g. the skip sentinel) is carried as its UTF-8 text in base64url.
const BYTES_FORM = 'b'
const TEXT_FORM = 's'

/** The canonical tool-call id for a Gemini call: the invented id, plus the signature when there is one. */
export function encodeToolCallId(baseId: string, thoughtSignature: string | undefined): string {
  if (thoughtSignature === undefined || thoughtSignature === '') return baseId
  const bytes = Buffer.from(thoughtSignature, 'base64')
  const isCanonicalBase64 = bytes.length > 0 && bytes.toString('base64') === thoughtSignature
  const payload = isCanonicalBase64
    ? BYTES_FORM + bytes.toString('base64url')
    : TEXT_FORM + Buffer.from(thoughtSignature, 'utf8').toString('base64url')
  return baseId + SEPARATOR + payload
}

export interface DecodedToolCallId {
  baseId: string
  thoughtSignature: string | null
}

/** Undoes encodeToolCallId. Ids from other providers or clients come back unchanged, without signature. */
export function decodeToolCallId(id: string): DecodedToolCallId {
  const at = id.indexOf(SEPARATOR)
  if (at <= 0) return { baseId: id, thoughtSignature: null }
  const form = id.charAt(at + SEPARATOR.length)
  const payload = id.slice(at + SEPARATOR.length + 1)
  if (payload === '' || !/^[A-Za-z0-9_-]+$/.test(payload)) return { baseId: id, thoughtSignature: null }
  const bytes = Buffer.from(payload, 'base64url')
  const baseId = id.slice(0, at)
  if (form === BYTES_FORM) return { baseId, thoughtSignature: bytes.toString('base64') }
  if (form === TEXT_FORM) return { baseId, thoughtSignature: bytes.toString('utf8') }
  return { baseId: id, thoughtSignature: null }
}
