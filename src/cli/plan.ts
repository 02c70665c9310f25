import { pino } from 'pino'
import { createApp } from '../app.js'
import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import { systemClock } from '../lib/clock.js'
import { systemRandom } from '../lib/random.js'

export interface PlanIo {
  sources: ConfigSources
  out: (text: string) => void
  readStdin: () => Promise<string>
}

/** `smartsplit plan "PROMPT"` (or `-` for stdin): prints the same JSON as POST /v1/plan. */
export async function printPlan(
  prompt: string,
  model: string,
  overrides: ConfigOverrides,
  io: PlanIo,
): Promise<void> {
  const text = prompt === '-' ? await io.readStdin() : prompt
  const config = loadConfig(overrides, io.sources)
  const app = createApp(config, {
    clock: systemClock,
    random: systemRandom,
    logger: pino({ level: 'silent' }),
  })
  try {
    io.out(JSON.stringify(await app.plan({ model, messages: [{ role: 'user', content: text }] }), null, 2))
  } finally {
    await app.close()
  }
}
