import { defineConfig } from 'vitest/config'

// Under CI a JSON report is written too, so .ci/run can print the closing "N passed, N failed" line.
const isCi = process.env.CI === 'true' || process.env.CI === '1'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Long timed load runs have their own command (npm run test:load, vitest.load.config.ts).
    exclude: ['test/load/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: isCi ? ['default', 'json'] : ['default'],
    outputFile: isCi ? { json: 'test-results/vitest.json' } : {},
  },
})
