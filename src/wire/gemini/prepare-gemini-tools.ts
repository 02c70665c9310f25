import type { FunctionTool, ToolChoice } from '../openai/types.js'
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js'
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './types.js'

export interface PreparedGeminiTools {
  tools?: GeminiTool[]
  toolConfig?: GeminiToolConfig
}

function toDeclaration(tool: FunctionTool): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: tool.function.name }
  if (tool.function.description) declaration.description = tool.function.description
  if (tool.function.parameters !== undefined) {
    const parameters = sanitizeSchemaForGemini(tool.function.parameters)
    // A no-argument tool: Gemini rejects an OBJECT with empty properties, and needs no parameters at all.
    if (parameters.properties !== undefined) declaration.parameters = { ...parameters, type: 'object' }
  }
  return declaration
}

/** OpenAI `tools` + `tool_choice` → Gemini `tools` (one functionDeclarations block) + `toolConfig`. */
export function prepareGeminiTools(
  tools: FunctionTool[] | undefined,
  toolChoice: ToolChoice | undefined,
): PreparedGeminiTools {
  const functions = (tools ?? []).filter((tool) => tool.type === 'function')
  if (functions.length === 0) return {}
  const prepared: PreparedGeminiTools = { tools: [{ functionDeclarations: functions.map(toDeclaration) }] }
  if (toolChoice === undefined) return prepared
  if (toolChoice === 'auto') prepared.toolConfig = { functionCallingConfig: { mode: 'AUTO' } }
  else if (toolChoice === 'none') prepared.toolConfig = { functionCallingConfig: { mode: 'NONE' } }
  else if (toolChoice === 'required') prepared.toolConfig = { functionCallingConfig: { mode: 'ANY' } }
  else {
    prepared.toolConfig = {
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolChoice.function.name] },
    }
  }
  return prepared
}
