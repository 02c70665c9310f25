// Prints the closing "N passed, N failed" line from vitest's JSON report.
import { readFileSync } from 'node:fs'

const path = process.argv[2] ?? 'test-results/vitest.json'
try {
  const report = JSON.parse(readFileSync(path, 'utf8'))
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  console.log(
    `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
  )
} catch (error) {
  console.log(`0 passed, 1 failed (no test report at ${path}: ${error.message})`)
}
