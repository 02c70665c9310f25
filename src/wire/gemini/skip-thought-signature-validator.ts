/**
 * Google's documented stand-in signature for function calls that never had one (a trace transferred from
 * another model, or calls the client made itself): Gemini 3 then skips its thought-signature check
 * instead of answering 400. See https://ai.google.dev/gemini-api/docs/thought-signatures (FAQ).
 */
export const SKIP_THOUGHT_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator'
