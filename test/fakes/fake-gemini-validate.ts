// What the real Gemini API refuses, reproduced so tests fail where production would. Messages follow
// the ones Google sends: proto parse errors ("Invalid JSON payload received. Unknown name …") for fields
// it does not know, and "* GenerateContentRequest.<path>: …" lines for semantic checks.

export interface GeminiRejection {
  status: number
  googleStatus: string
  message: string
  details?: unknown[]
}

type Json = Record<string, unknown>

const TOP_LEVEL = new Set([
  'contents',
  'systemInstruction',
  'system_instruction',
  'tools',
  'toolConfig',
  'tool_config',
  'generationConfig',
  'generation_config',
  'safetySettings',
  'safety_settings',
  'cachedContent',
  'cached_content',
  'labels',
])
const PART_FIELDS = new Set([
  'text',
  'thought',
  'thoughtSignature',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
  'videoMetadata',
  'partMetadata',
  'mediaResolution',
])
const SCHEMA_FIELDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
])
const GENERATION_FIELDS = new Set([
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'enableEnhancedCivicAnswers',
  'speechConfig',
  'thinkingConfig',
  'mediaResolution',
])
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Collects proto parse errors ("Unknown name") and semantic errors separately, as Google reports them. */
class Problems {
  readonly unknown: { field: string; description: string }[] = []
  readonly semantic: string[] = []
  unknownField(name: string, at: string, reason = 'Cannot find field.'): void {
    const description = `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ''}: ${reason}`
    this.unknown.push({ field: at, description })
  }
  invalid(path: string, message: string): void {
    this.semantic.push(`* GenerateContentRequest.${path}: ${message}`)
  }
}

function checkSchema(schema: unknown, at: string, problems: Problems): void {
  if (!isObject(schema)) return
  for (const [key, value] of Object.entries(schema)) {
    if (!SCHEMA_FIELDS.has(key)) problems.unknownField(key, at)
    else if (key === 'type' && Array.isArray(value))
      problems.unknownField('type', at, 'Proto field is not repeating, cannot start list.')
  }
  const properties = isObject(schema.properties) ? schema.properties : undefined
  // Google names map entries by position: `parameters.properties[3].value`.
  Object.values(properties ?? {}).forEach((child, i) => {
    checkSchema(child, `${at}.properties[${i}].value`, problems)
  })
  if (
    properties !== undefined &&
    Object.keys(properties).length === 0 &&
    String(schema.type).toLowerCase() === 'object'
  ) {
    problems.invalid(`${at}.properties`, 'should be non-empty for OBJECT type')
  }
  if (Array.isArray(schema.required)) {
    schema.required.forEach((name, i) => {
      if (properties === undefined || typeof name !== 'string' || !(name in properties)) {
        problems.invalid(`${at}.required[${i}]`, 'property is not defined')
      }
    })
  }
  if (
    schema.enum !== undefined &&
    typeof schema.type === 'string' &&
    schema.type.toLowerCase() !== 'string'
  ) {
    problems.invalid(`${at}.enum`, 'only allowed for STRING type')
  }
  if (schema.items !== undefined) checkSchema(schema.items, `${at}.items`, problems)
  if (Array.isArray(schema.anyOf)) {
    schema.anyOf.forEach((branch, i) => {
      checkSchema(branch, `${at}.any_of[${i}]`, problems)
    })
  }
}

function checkTools(tools: unknown, problems: Problems): void {
  if (tools === undefined) return
  if (!Array.isArray(tools)) {
    problems.invalid('tools', 'must be a list')
    return
  }
  tools.forEach((tool, t) => {
    if (!isObject(tool)) return
    const declarations = Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : []
    declarations.forEach((declaration, d) => {
      if (!isObject(declaration)) return
      const at = `tools[${t}].function_declarations[${d}]`
      if (typeof declaration.name !== 'string' || !FUNCTION_NAME.test(declaration.name)) {
        problems.invalid(
          `${at}.name`,
          'Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.',
        )
      }
      if (declaration.parameters !== undefined)
        checkSchema(declaration.parameters, `${at}.parameters`, problems)
    })
  })
}

function checkParts(parts: unknown, at: string, problems: Problems): void {
  if (!Array.isArray(parts) || parts.length === 0) {
    problems.invalid(`${at}.parts`, 'contents.parts must not be empty.')
    return
  }
  parts.forEach((part, p) => {
    const path = `${at}.parts[${p}]`
    if (!isObject(part)) {
      problems.invalid(path, 'must be an object')
      return
    }
    for (const key of Object.keys(part)) if (!PART_FIELDS.has(key)) problems.unknownField(key, path)
    if ('text' in part && typeof part.text !== 'string') problems.invalid(`${path}.text`, 'must be a string')
    if (isObject(part.functionResponse)) {
      if (typeof part.functionResponse.name !== 'string' || part.functionResponse.name === '') {
        problems.invalid(`${path}.function_response.name`, 'Name cannot be empty.')
      }
      if (part.functionResponse.response !== undefined && !isObject(part.functionResponse.response)) {
        problems.unknownField(
          'response',
          `${path}.function_response`,
          'Proto field is not repeating, cannot start list.',
        )
      }
    }
    if (
      isObject(part.functionCall) &&
      (typeof part.functionCall.name !== 'string' || part.functionCall.name === '')
    ) {
      problems.invalid(`${path}.function_call.name`, 'Name cannot be empty.')
    }
  })
}

/**
 * Gemini 3 checks signatures in the current turn only: from the last user content that is not a pure
 * function response. The first functionCall of each model step there must carry its signature.
 */
function findMissingSignature(
  contents: Json[],
  isKnown: (signature: string) => boolean,
): GeminiRejection | null {
  let turnStart = 0
  contents.forEach((content, i) => {
    const parts = Array.isArray(content.parts) ? content.parts : []
    if (content.role !== 'model' && parts.some((p) => isObject(p) && p.functionResponse === undefined))
      turnStart = i
  })
  for (let i = turnStart; i < contents.length; i++) {
    const content = contents[i]
    if (content?.role !== 'model' || !Array.isArray(content.parts)) continue
    const first = content.parts.find((p): p is Json => isObject(p) && isObject(p.functionCall))
    if (first === undefined) continue
    const signature = first.thoughtSignature
    const name = isObject(first.functionCall) ? String(first.functionCall.name) : ''
    if (typeof signature !== 'string' || signature === '') {
      return {
        status: 400,
        googleStatus: 'INVALID_ARGUMENT',
        message: `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      }
    }
    if (!isKnown(signature)) {
      return { status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'Corrupted thought signature.' }
    }
  }
  return null
}

export interface ValidationOptions {
  requireThoughtSignatures: boolean
  isKnownSignature: (signature: string) => boolean
}

/** null when the real API would accept the body. */
export function validateGeminiRequest(body: unknown, options: ValidationOptions): GeminiRejection | null {
  const problems = new Problems()
  if (!isObject(body))
    return { status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' }
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) problems.unknownField(key, '')
  const contents = Array.isArray(body.contents) ? body.contents.filter(isObject) : []
  if (contents.length === 0) problems.invalid('contents', 'contents is not specified')
  contents.forEach((content, c) => {
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      problems.semantic.push('Please use a valid role: user, model.')
    }
    checkParts(content.parts, `contents[${c}]`, problems)
  })
  const system = body.systemInstruction ?? body.system_instruction
  if (system !== undefined && isObject(system)) checkParts(system.parts, 'system_instruction', problems)
  checkTools(body.tools, problems)
  if (isObject(body.generationConfig)) {
    for (const key of Object.keys(body.generationConfig)) {
      if (!GENERATION_FIELDS.has(key)) problems.unknownField(key, 'generation_config')
    }
    if (body.generationConfig.responseSchema !== undefined) {
      checkSchema(body.generationConfig.responseSchema, 'generation_config.response_schema', problems)
    }
  }
  if (problems.unknown.length > 0) {
    return {
      status: 400,
      googleStatus: 'INVALID_ARGUMENT',
      message: problems.unknown.map((p) => p.description).join('\n'),
      details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: problems.unknown }],
    }
  }
  if (problems.semantic.length > 0) {
    return { status: 400, googleStatus: 'INVALID_ARGUMENT', message: `${problems.semantic.join('\n')}\n` }
  }
  return options.requireThoughtSignatures ? findMissingSignature(contents, options.isKnownSignature) : null
}
