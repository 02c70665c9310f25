// What an open dashboard costs the server: the CPU time of a SmartSplit process (utime + stime from
// /proc) over a window with light traffic and no dashboard, then over a window of the same traffic with
// the dashboard open in headless Chromium (its SSE stream live). Linux only; needs Debian's Chromium.
//   npx tsx bench/dashboard-cpu.ts [seconds per window, default 300]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { startFakeOpenAI } from '../test/fakes/fake-openai.js'
import { findChromium, launchChromium } from '../test/support/find-chromium.js'
import { routeAll } from '../test/support/route-all.js'
import { spawnSmartSplit, stopSmartSplit } from '../test/support/spawn-smartsplit.js'

const windowS = Number(process.argv[2] ?? 300)
const REQUEST_EVERY_MS = 10_000
const TICKS_PER_S = 100 // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S
}

const chromium = findChromium()
if (chromium === null) throw new Error('No Chromium: apt-get install chromium')
const fake = await startFakeOpenAI({ model: 'llama', apiKey: 'gsk_fake_bench_dashboard_cpu_000000' })
const dir = mkdtempSync(join(tmpdir(), 'smartsplit-dashboard-cpu-'))
writeFileSync(
  join(dir, 'smartsplit.json'),
  JSON.stringify({
    providers: {
      groq: { base_url: fake.url, api_key: 'gsk_fake_bench_dashboard_cpu_000000', model: 'llama' },
    },
    routing: routeAll(['groq']),
    log_level: 'warn',
  }),
)
const server = await spawnSmartSplit(
  ['--config', join(dir, 'smartsplit.json'), '--data-dir', dir, '--port', '0'],
  {
    cwd: dir,
  },
)
if (server.url === null) throw new Error(server.stderr())
const pid = server.child.pid!
const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
const traffic = setInterval(() => {
  void client.chat.completions
    .create({ model: 'smartsplit', messages: [{ role: 'user', content: 'Say hello.' }] })
    .catch(() => {})
}, REQUEST_EVERY_MS)

async function measure(label: string): Promise<number> {
  const startCpu = cpuSeconds(pid)
  const startMs = Date.now()
  await new Promise((resolve) => setTimeout(resolve, windowS * 1000))
  const share = (cpuSeconds(pid) - startCpu) / ((Date.now() - startMs) / 1000)
  console.log(`${label}: ${(share * 100).toFixed(3)} % of a core over ${windowS} s`)
  return share
}

await new Promise((resolve) => setTimeout(resolve, 5_000)) // past start-up work
const without = await measure('server, light traffic, no dashboard')
const browser = await launchChromium(chromium)
const page = await browser.newPage()
await page.goto(`${server.url}/dashboard#/overview`)
await page.locator('#live', { hasText: 'live' }).waitFor()
const withDashboard = await measure('server, same traffic, dashboard open')
console.log(`dashboard's own cost: ${((withDashboard - without) * 100).toFixed(3)} % of a core`)
const assets = (await (await fetch(`${server.url}/dashboard`)).text()).length
console.log(`page weight: HTML ${assets} bytes`)
clearInterval(traffic)
await browser.close()
await stopSmartSplit(server)
await fake.close()
