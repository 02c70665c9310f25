import { describe, expect, it } from 'vitest'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js'
import { toAnthropicStopReason } from './to-anthropic-stop-reason.js'

describe('mapAnthropicStopReason', () => {
  it('follows the mapping table', () => {
    expect(mapAnthropicStopReason('end_turn')).toBe('stop')
    expect(mapAnthropicStopReason('stop_sequence')).toBe('stop')
    expect(mapAnthropicStopReason('pause_turn')).toBe('stop')
    expect(mapAnthropicStopReason('max_tokens')).toBe('length')
    expect(mapAnthropicStopReason('model_context_window_exceeded')).toBe('length')
    expect(mapAnthropicStopReason('tool_use')).toBe('tool_calls')
    expect(mapAnthropicStopReason('refusal')).toBe('content_filter')
    expect(mapAnthropicStopReason('some_future_reason')).toBe('stop')
  })

  it('round-trips through toAnthropicStopReason for every finish reason', () => {
    for (const reason of ['stop', 'length', 'tool_calls', 'content_filter'] as const) {
      expect(mapAnthropicStopReason(toAnthropicStopReason(reason))).toBe(reason)
    }
    expect(toAnthropicStopReason(null)).toBe('end_turn')
  })
})
