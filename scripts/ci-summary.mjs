// Prints the closing "N passed, N failed" line from vitest's JSON reports (the suite and the load runs).
import { readFileSync } from 'node:fs'

const paths = process.argv.length > 2 ? process.argv.slice(2) : ['test-results/vitest.json']
let passed = 0
let failed = 0
let skipped = 0
for (const path of paths) {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  } catch (error) {
    failed += 1
    console.log(`no test report at ${path}: ${error.message}`)
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
