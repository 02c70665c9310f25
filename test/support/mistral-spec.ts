import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// Mistral's official OpenAPI spec (vendored in test/fixtures/spec): its request schemas forbid unknown
// fields (additionalProperties: false), which is why Mistral answers 422 to OpenAI-only fields. The fake
// Mistral takes its allow-list from here, so the test follows Mistral's published contract, not ours.
const SPEC_PATH = fileURLToPath(new URL('../fixtures/spec/mistral-openapi.yaml', import.meta.url))

interface ObjectSchema {
  properties?: Record<string, unknown>
  additionalProperties?: boolean
}

/** The top-level fields POST /v1/chat/completions accepts, by Mistral's schema. */
export function mistralChatRequestFields(): string[] {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as {
    components: { schemas: Record<string, ObjectSchema> }
  }
  const schema = spec.components.schemas.ChatCompletionRequest
  if (schema?.properties === undefined || schema.additionalProperties !== false)
    throw new Error('Mistral spec: ChatCompletionRequest is no longer a closed object; update this helper')
  return Object.keys(schema.properties)
}
