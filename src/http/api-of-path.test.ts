import { describe, expect, it } from 'vitest'
import { apiOfPath } from './api-of-path.js'

describe('apiOfPath', () => {
  it.each([
    ['/messages', 'anthropic'],
    ['/anthropic/v1/messages', 'anthropic'],
    ['/v1/messages/v1/messages?beta=true', 'anthropic'],
    ['/v1/complete', 'anthropic'],
    ['/anthropic', 'anthropic'],
    ['/v1/threads/thread_1/messages', 'openai'],
    ['/responses', 'responses'],
    ['/v1/responses/resp_1/input_items', 'responses'],
    ['/chat/completions', 'openai'],
    ['/openai/v1/models', 'openai'],
    ['/v1/plan', 'smartsplit'],
    ['/dashboard/api/snapshot', 'smartsplit'],
    ['/v2/whatever', 'unknown'],
  ])('%s → %s', (url, api) => {
    expect(apiOfPath(url, {})).toBe(api)
  })

  it('reads Anthropic SDK headers only when the path names no API', () => {
    expect(apiOfPath('/api/generate', { 'anthropic-version': '2023-06-01' })).toBe('anthropic')
    expect(apiOfPath('/api/generate', { 'x-api-key': 'k' })).toBe('anthropic')
    expect(apiOfPath('/api/generate', { 'x-api-key': 'k', authorization: 'Bearer k' })).toBe('unknown')
    expect(apiOfPath('/chat/completions', { 'anthropic-version': '2023-06-01' })).toBe('openai')
  })
})
