import { ANTHROPIC_SCENARIOS } from './anthropic-scenarios.js'
import { describeHostileUpstreams } from './describe-hostile-upstreams.js'
import { hostileScenarios } from './hostile-scenarios.js'
import { WIRES } from './upstream-wires.js'

// Issue 9 through an Anthropic-shaped upstream: every misbehaviour, played in Anthropic's SSE events, and
// Anthropic's own (deltas for blocks never started, `event: error`, no message_stop), for chat,
// Anthropic and Responses clients.

describeHostileUpstreams(WIRES.anthropic, {
  ...hostileScenarios(WIRES.anthropic),
  ...ANTHROPIC_SCENARIOS,
})
