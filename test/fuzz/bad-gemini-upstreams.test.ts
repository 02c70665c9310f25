import { describeHostileUpstreams } from './describe-hostile-upstreams.js'
import { GEMINI_SCENARIOS } from './gemini-scenarios.js'
import { hostileScenarios } from './hostile-scenarios.js'
import { WIRES } from './upstream-wires.js'

// Issue 9 through a Gemini-shaped upstream: every misbehaviour, played in Gemini's data-only events, and
// its own (blocked prompts, SAFETY finishes without parts, JSON arrays cut mid-element), for chat,
// Anthropic and Responses clients.

describeHostileUpstreams(WIRES.gemini, { ...hostileScenarios(WIRES.gemini), ...GEMINI_SCENARIOS })
