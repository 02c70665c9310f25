import { type FakeBehavior, startFakeOpenAI } from '../../test/fakes/fake-openai.js'
import { startSmartSplit } from '../../test/support/start-smartsplit.js'
import { median } from '../lib/stats.js'
import type { BenchContext } from './context.js'

// Quality-gate hold-back (issue 6): a stream's opening is held until the gate can judge it (200
// characters or 500 ms). Measured: time to the first content byte at the client, gates on vs off, for a
// slow stream (5 characters every 50 ms: the 500 ms cap decides) and a fast one (10 characters every
// 2 ms: 200 characters arrive first). In this process, on the real clock, SmartSplit and fake in-process.

export interface HoldBackFigures {
  stream: 'slow' | 'fast'
  description: string
  rounds: number
  ttftOffMs: number
  ttftOnMs: number
  addedMs: number
}

const STREAMS: { stream: HoldBackFigures['stream']; description: string; behavior: FakeBehavior }[] = [
  {
    stream: 'slow',
    description: '30 chunks of 5 characters, 50 ms apart',
    behavior: { kind: 'text', pieces: Array.from({ length: 30 }, () => 'word '), chunkDelayMs: 50 },
  },
  {
    stream: 'fast',
    description: '60 chunks of 10 characters, 2 ms apart',
    behavior: { kind: 'text', pieces: Array.from({ length: 60 }, () => 'fast word '), chunkDelayMs: 2 },
  },
]

/** Milliseconds from sending the request to the first SSE frame carrying content. */
async function timeToFirstToken(baseURL: string): Promise<number> {
  const startedMs = performance.now()
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  let firstMs: number | null = null
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    buffered += decoder.decode(value, { stream: true })
    if (firstMs === null && /"content":"[^"]/.test(buffered)) firstMs = performance.now() - startedMs
  }
  if (firstMs === null) throw new Error('the stream carried no content')
  return firstMs
}

export async function runHoldBack(ctx: BenchContext): Promise<HoldBackFigures[]> {
  const rounds = ctx.smoke ? 2 : 15
  const out: HoldBackFigures[] = []
  for (const { stream, description, behavior } of STREAMS) {
    const fake = await startFakeOpenAI({ apiKey: 'hold-back-key-0000000001', behavior })
    const limits = { rpm: null, rpd: null, tpm: null, tpd: null }
    const servers = await Promise.all(
      [false, true].map((gates) =>
        startSmartSplit({
          quality_gates: gates,
          providers: { groq: { base_url: fake.url, api_key: 'hold-back-key-0000000001', limits } },
        }),
      ),
    )
    const [off, on] = servers as [(typeof servers)[number], (typeof servers)[number]]
    const times = { off: [] as number[], on: [] as number[] }
    try {
      await timeToFirstToken(off.baseURL) // warm-up: connections, JIT
      await timeToFirstToken(on.baseURL)
      for (let round = 0; round < rounds; round++) {
        // Alternate which goes first, so neither always runs on a warmer process.
        const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)
        for (const which of order)
          times[which].push(await timeToFirstToken((which === 'on' ? on : off).baseURL))
      }
    } finally {
      for (const server of servers) await server.close()
      await fake.close()
    }
    const figures: HoldBackFigures = {
      stream,
      description,
      rounds,
      ttftOffMs: median(times.off),
      ttftOnMs: median(times.on),
      addedMs: median(times.on) - median(times.off),
    }
    ctx.log(
      `  hold-back (${stream}): first token ${figures.ttftOffMs.toFixed(1)} ms gates off, ` +
        `${figures.ttftOnMs.toFixed(1)} ms gates on (+${figures.addedMs.toFixed(1)} ms)`,
    )
    out.push(figures)
  }
  return out
}
