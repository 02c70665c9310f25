import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../errors.js'
import { parseResponsesRequest } from './parse-responses-request.js'

function rejection(body: unknown): InvalidRequestError {
  try {
    parseResponsesRequest(body)
  } catch (error) {
    if (error instanceof InvalidRequestError) return error
    throw error
  }
  throw new Error('expected a rejection')
}

describe('parseResponsesRequest', () => {
  it('accepts the shapes clients send and keeps unknown fields', () => {
    const req = parseResponsesRequest({
      model: 'smartsplit',
      input: [
        { role: 'user', content: 'plain easy message' },
        { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
        { type: 'function_call_output', call_id: 'c', output: 'x' },
        { type: 'local_shell_call', id: 'ls_1', call_id: 'c2', action: {}, status: 'completed' },
      ],
      store: false,
      prompt_cache_key: 'k',
      text: { format: { type: 'text' }, verbosity: 'low' },
    })
    expect(req.prompt_cache_key).toBe('k')
    expect(Array.isArray(req.input) && req.input[3]).toBeNull()
  })

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input.0.role'],
    [{ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 'input.0.content.0.text'],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input.0.content.0.image_url',
    ],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input.0.call_id'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function', parameters: {} }] }, 'tools.0.name'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
  ])('names the bad field in %j', (body, param) => {
    const error = rejection(body)
    expect(error.status).toBe(400)
    expect(error.param).toBe(param)
    expect(error.message.startsWith(`${param}:`)).toBe(true)
  })

  it('refuses stateful use with advice to resend the input', () => {
    const error = rejection({ model: 'm', input: 'x', previous_response_id: 'resp_1' })
    expect(error.param).toBe('previous_response_id')
    expect(error.message).toMatch(/stateless.*resend the whole conversation/)
    expect(rejection({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }).param).toBe('input.0')
    expect(rejection({ model: 'm', input: 'x', conversation: 'conv_1' }).param).toBe('conversation')
    expect(rejection({ model: 'm', input: 'x', background: true }).param).toBe('background')
    expect(() => parseResponsesRequest({ model: 'm', input: 'x', previous_response_id: null })).not.toThrow()
  })

  it('refuses a tool_choice SmartSplit cannot honour', () => {
    expect(rejection({ model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } }).param).toBe(
      'tool_choice.type',
    )
    const missing = rejection({ model: 'm', input: 'x', tool_choice: { type: 'function', name: 'nope' } })
    expect(missing.param).toBe('tool_choice.name')
  })

  it('refuses an input with nothing to answer', () => {
    expect(rejection({ model: 'm', input: [] }).param).toBe('input')
    expect(rejection({ model: 'm', input: [{ type: 'reasoning', summary: [] }] }).param).toBe('input')
    expect(rejection([]).message).toMatch(/JSON object/)
  })
})
