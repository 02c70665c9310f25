import type { AffinityFigures } from '../scenarios/affinity.js'
import type { AnalyzerFigures } from '../scenarios/analyzer.js'
import type { Skipped } from '../scenarios/context.js'
import type { FidelityFigures } from '../scenarios/fidelity.js'
import type { FreeTierFigures } from '../scenarios/free-tier.js'
import type { FreeTierPoolFigures } from '../scenarios/free-tier-pools.js'
import type { HoldBackFigures } from '../scenarios/hold-back.js'
import type { LearningFigures } from '../scenarios/learning.js'
import type { MemoryFigures } from '../scenarios/memory.js'
import type { MultiPartFigures } from '../scenarios/multipart.js'
import type { OverheadCell } from '../scenarios/overhead.js'
import type { RoutingFigures } from '../scenarios/routing.js'
import type { SharedStateFigures } from '../scenarios/shared-state.js'
import type { TtftFigures } from '../scenarios/ttft.js'

export interface Environment {
  date: string
  cores: number
  cpuModel: string
  node: string
  platform: string
  loadAverage: number[]
  smoke: boolean
  rounds: number
  durationSec: number
  /** How SmartSplit ran (child process from dist/ or tsx, or in-process). */
  server: string
  compared: { name: string; version: string; label: string }[]
  notes: string[]
}

export interface BenchResults {
  environment: Environment
  overhead: OverheadCell[] | Skipped
  ttft: TtftFigures[] | Skipped
  fidelity: FidelityFigures[] | Skipped
  memory: MemoryFigures | Skipped
  analyzer: AnalyzerFigures | Skipped
  multiPart: MultiPartFigures | Skipped
  freeTier: FreeTierFigures[] | Skipped
  freeTierPools: FreeTierPoolFigures[] | Skipped
  learning: LearningFigures | Skipped
  holdBack: HoldBackFigures[] | Skipped
  routing: RoutingFigures | Skipped
  affinity: AffinityFigures | Skipped
  sharedState: SharedStateFigures | Skipped
  fakeUpstream: { directJsonReqPerSec: number; fakeCpuMsPerRequest: number } | null
  verdicts: Verdict[]
}

export interface Verdict {
  target: string
  /** The measured value as displayed, e.g. "0.31 ms". */
  measured: string
  status: 'pass' | 'miss' | 'n/a'
}

export const isSkipped = (value: unknown): value is Skipped =>
  typeof value === 'object' && value !== null && (value as Skipped).skipped === true
