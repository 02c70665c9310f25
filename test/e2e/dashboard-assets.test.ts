import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildDashboardAssets, GENERATED } from '../../scripts/build-dashboard.js'

describe('the dashboard assets shipped in the package', () => {
  it('are built from dashboard/ as it is now (npm run build:dashboard), and stay small', async () => {
    const built = await buildDashboardAssets()
    expect(readFileSync(GENERATED, 'utf8')).toBe(built)
    // "A few hundred KB at most": the whole page (script and styles) is far below that.
    expect(Buffer.byteLength(built)).toBeLessThan(100 * 1024)
  })
})
