import { expect, it } from 'vitest'
import { describeHostileUpstreams } from './describe-hostile-upstreams.js'
import { hostileScenarios } from './hostile-scenarios.js'
import { OPENAI_SCENARIOS } from './openai-scenarios.js'
import { WIRES } from './upstream-wires.js'

// Issue 9 through an OpenAI-compatible upstream: every misbehaviour, played in OpenAI's data-only chunks,
// and its own (JSON answers that are not completions, null or "__proto__" tool call fragments), for chat,
// Anthropic and Responses clients.

describeHostileUpstreams(WIRES.openai, { ...hostileScenarios(WIRES.openai), ...OPENAI_SCENARIOS })

it('BUG-7: a tool call index "__proto__" from an upstream never polluted Array.prototype', () => {
  expect(Object.hasOwn(Array.prototype, 'id')).toBe(false)
})
