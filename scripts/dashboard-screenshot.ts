// Writes docs/dashboard.png: the dashboard's overview and providers after real traffic through SmartSplit
// to two fake providers (one of them rate-limited into a cooldown), taken by Debian's Chromium.
//   npm run screenshot:dashboard
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { driveTraffic, rateLimitFirst, startDashboardScene } from '../test/support/dashboard-scene.js'
import { findChromium, launchChromium } from '../test/support/find-chromium.js'

const output = fileURLToPath(new URL('../docs/dashboard.png', import.meta.url))
const chromium = findChromium()
if (chromium === null) {
  console.error('No Chromium found: apt-get install chromium (or set CHROMIUM_PATH).')
  process.exit(1)
}
const scene = await startDashboardScene()
const browser = await launchChromium(chromium)
try {
  await driveTraffic(scene, 12)
  await rateLimitFirst(scene)
  await driveTraffic(scene, 4)
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 })
  await page.goto(`${scene.smartsplit.url}/dashboard#/overview`)
  await page.locator('[data-figure="requests"][data-value="17"]').waitFor()
  mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true })
  await page.screenshot({ path: output, fullPage: false })
  console.log(`wrote ${output}`)
} finally {
  await browser.close()
  await scene.close()
}
