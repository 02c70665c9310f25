import { defineConfig } from 'vitest/config'

// `npm run test:load`: the minute-long runs that do not belong in `npm test` (a thousand streams held
// open, the full 10 000-request fuzz). .ci/run runs them after the suite.
const isCi = process.env.CI === 'true' || process.env.CI === '1'

export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts', 'test/fuzz/bad-requests.test.ts'],
    env: { SMARTSPLIT_TEST_LOAD: '1' },
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: isCi ? ['default', 'json'] : ['default'],
    outputFile: isCi ? { json: 'test-results/vitest-load.json' } : {},
  },
})
