import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config/load-config.js'
import { systemClock } from '../../src/lib/clock.js'
import { seededRandom } from '../../src/lib/random.js'
import { conversationKey, fingerprintConversation } from '../../src/pipeline/affinity/conversation-key.js'
import { planAffinity } from '../../src/pipeline/affinity/plan-affinity.js'
import { recordAffinity } from '../../src/pipeline/affinity/record-affinity.js'
import { PlanCache } from '../../src/pipeline/plan/llm-planner.js'
import { requiredCapabilities } from '../../src/pipeline/route/required-capabilities.js'
import { buildRoutingTable } from '../../src/pipeline/route/routing-table.js'
import {
  createPipeline,
  type Pipeline,
  type PipelineSettings,
  type RoutePlan,
} from '../../src/pipeline/run.js'
import { createMemoryConversationPins } from '../../src/state/conversation-pins.js'
import { createProviderState } from '../../src/state/provider-state.js'
import { parseChatRequest } from '../../src/wire/openai/parse-chat-request.js'
import type { ChatRequest } from '../../src/wire/openai/types.js'
import { agentRequest } from '../lib/agent-body.js'
import { type Spread, spread } from '../lib/stats.js'
import type { BenchContext } from './context.js'

// Conversation affinity (issue 17): what keeping a conversation on its target costs per request, with
// 50 conversations interleaved as 50 connections of coding agents would send them (30 KB agent turns,
// each conversation its own first message). Two figures, in this process on the real clock:
//  - `planAddedUs`: pipeline.plan() plus the pin's write after the answer, affinity on minus off,
//    paired per round (the rounds alternate which goes first). This is the figure the target is about.
//  - `pathUs`: the affinity work alone (identity hash, pin read, pinned ranking, verdict, pin write).
// Conversations name themselves by nothing (the fingerprint: the dearest identity) or by a header.

const CONVERSATIONS = 50
export const AFFINITY_TARGET_US = 50

export interface AffinityFigures {
  conversations: number
  requestsPerRound: number
  rounds: number
  bodyBytes: number
  /** plan() with affinity off, µs per request. */
  planOffUs: Spread
  /** Added by affinity, µs per request (fingerprinted conversations). */
  planAddedUs: Spread
  /** Added by affinity when the conversation is named by a header, µs per request. */
  planAddedHeaderUs: Spread
  /** The affinity functions alone, µs per request (fingerprinted conversations). */
  pathUs: Spread
}

const ENV = { GROQ_API_KEY: 'g', CEREBRAS_API_KEY: 'c', SAMBANOVA_API_KEY: 's', MISTRAL_API_KEY: 'm' }

type Pins = ReturnType<typeof createMemoryConversationPins>

interface Side {
  pipeline: Pipeline
  settings: PipelineSettings
  pins: Pins
}

function pipelineWith(affinity: boolean): Side {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-affinity-bench-'))
  const config = loadConfig({}, { env: ENV, cwd: dir, homeDir: dir })
  const settings: PipelineSettings = {
    providers: config.providers,
    mode: config.mode,
    table: buildRoutingTable(config.routing),
    planner: 'local',
    logPrompts: false,
    qualityGates: config.qualityGates,
    budget: config.retryBudget,
    timeouts: { connectMs: 1_000, firstByteMs: 1_000, idleMs: 1_000 },
    isPriorityStated: false,
    affinity,
    autocomplete: { firstByteMs: 1_000 },
    embeddings: { defaultModel: null },
  }
  const state = createProviderState({ clock: systemClock, providers: config.providers })
  const pins = createMemoryConversationPins({ idleMs: 30 * 60_000, maxConversations: 100_000 })
  const pipeline = createPipeline(settings, {
    capacity: state.coordination,
    learner: { quality: (_task, _provider, _model, prior) => prior },
    outcomes: { requestFinished: () => {} },
    search: { find: async () => ({ results: [], provider: null }) },
    plans: new PlanCache(),
    pins,
    adapterFor: () => {
      throw new Error('the affinity bench calls no model')
    },
    embedderFor: () => {
      throw new Error('the affinity bench calls no model')
    },
    clock: systemClock,
    random: seededRandom(17),
  })
  return { pipeline, settings, pins }
}

/** One agent turn per conversation, each with its own first message (so its own fingerprint). */
function conversations(): ChatRequest[] {
  return Array.from({ length: CONVERSATIONS }, (_, i) => {
    const body = agentRequest() as { messages: { content: string }[] }
    body.messages[1]!.content += ` (ticket ${i})`
    return parseChatRequest(body)
  })
}

/** µs per request of `requests` plans in turn, each followed by the pin's write as run() does it. */
async function planTime(side: Side, requests: readonly ChatRequest[], count: number, named: boolean) {
  const startedNs = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    const request = requests[i % requests.length]!
    const conversation = named ? { id: `session-${i % requests.length}`, source: 'header' as const } : null
    const plan = await side.pipeline.plan(request, { conversation })
    await settle(side.pins, plan)
  }
  return Number(process.hrtime.bigint() - startedNs) / 1_000 / count
}

const NO_CHUNKS = (async function* () {})()

/**
 * The pin's write happens in run() once the answer's target is known; the bench has no answer, so the
 * ranking's first candidate stands for it (recordAffinity does the rest exactly as in run()).
 */
async function settle(pins: Pins, plan: RoutePlan): Promise<void> {
  const outcome = { candidate: plan.candidates[0]!, attempts: [], chunks: NO_CHUNKS, notes: {} }
  await recordAffinity(plan, outcome, pins, systemClock.nowMs())
}

/** The affinity functions alone, over the same interleaved conversations. */
async function pathTime(
  requests: readonly ChatRequest[],
  count: number,
  settings: PipelineSettings,
  pipeline: Pipeline,
) {
  const store = createMemoryConversationPins({ idleMs: 30 * 60_000, maxConversations: 100_000 })
  const plans = await Promise.all(requests.map((request) => pipeline.plan(request)))
  const required = requests.map((request) => requiredCapabilities(request, 7_500))
  const state = createProviderState({ clock: systemClock, providers: settings.providers })
  const snapshot = await state.coordination.snapshot()
  const startedNs = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    const at = i % requests.length
    const plan = plans[at]!
    const key = conversationKey(fingerprintConversation(requests[at]!))
    const pin = await store.get(key, i)
    const planned = planAffinity({ key, source: 'fingerprint', pin }, plan.candidates, plan.analysis, {
      providers: settings.providers,
      snapshot,
      required: required[at]!,
    })
    await recordAffinity(
      { ...plan, candidates: planned.candidates, affinity: planned.affinity },
      { candidate: planned.candidates[0]!, attempts: [], chunks: NO_CHUNKS, notes: {} },
      store,
      i,
    )
  }
  return Number(process.hrtime.bigint() - startedNs) / 1_000 / count
}

export async function runAffinity(ctx: BenchContext): Promise<AffinityFigures> {
  const rounds = ctx.smoke ? 1 : ctx.rounds
  const count = ctx.smoke ? 200 : 5_000
  const requests = conversations()
  const off = pipelineWith(false)
  const on = pipelineWith(true)
  // Warm-up: the analyzer's model, the JIT, and every conversation pinned once.
  for (const side of [off, on]) {
    await planTime(side, requests, ctx.smoke ? 50 : 1_000, false)
    await planTime(side, requests, ctx.smoke ? 50 : 1_000, true)
  }
  const offUs: number[] = []
  const added: number[] = []
  const addedHeader: number[] = []
  const path: number[] = []
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [off, on] : [on, off]
    const times = new Map<boolean, number>()
    const header = new Map<boolean, number>()
    for (const side of order) {
      const isOn = side === on
      times.set(isOn, await planTime(side, requests, count, false))
      header.set(isOn, await planTime(side, requests, count, true))
    }
    offUs.push(times.get(false)!)
    added.push(times.get(true)! - times.get(false)!)
    addedHeader.push(header.get(true)! - header.get(false)!)
    path.push(await pathTime(requests, count, on.settings, on.pipeline))
    ctx.log(
      `  round ${r + 1}: plan ${times.get(false)!.toFixed(1)} µs, affinity +${added.at(-1)!.toFixed(1)} µs (header +${addedHeader.at(-1)!.toFixed(1)} µs), path alone ${path.at(-1)!.toFixed(1)} µs`,
    )
  }
  return {
    conversations: CONVERSATIONS,
    requestsPerRound: count,
    rounds,
    bodyBytes: JSON.stringify(agentRequest()).length,
    planOffUs: spread(offUs),
    planAddedUs: spread(added),
    planAddedHeaderUs: spread(addedHeader),
    pathUs: spread(path),
  }
}
