import { accessSync, constants } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

// The browser tests drive Debian's Chromium (.ci/run installs it); nothing is downloaded.
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** The first Chromium found here ($CHROMIUM_PATH first), or null when there is none. */
export function findChromium(): string | null {
  const explicit = process.env.CHROMIUM_PATH
  for (const path of explicit === undefined || explicit === '' ? CANDIDATES : [explicit, ...CANDIDATES]) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not installed there
    }
  }
  return null
}

/** Headless Chromium with no network of its own (it would try Google's hosts at every start); a fresh profile each time. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}
