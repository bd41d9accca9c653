#!/usr/bin/env node
// Prints the one closing line CI reads: "N passed, N failed", over vitest and Playwright.
// Usage: node scripts/summarize-tests.mjs <exit status of npm test>
import fs from 'node:fs';

const status = Number(process.argv[2] ?? 0);
const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
let passed = 0;
let failed = 0;
let skipped = 0;

// The unit run on SQLite, then the integration and contract suites again on PostgreSQL.
for (const file of ['test-results/vitest.json', 'test-results/vitest-postgres.json']) {
  const vitest = read(file);
  if (!vitest) continue;
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
}
const playwright = read('test-results/playwright.json');
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
}
// Lint, typecheck or build failed before (or between) the suites: that is a failure too.
if (status !== 0 && failed === 0) failed = 1;
if (skipped > 0) console.log(`(${skipped} skipped; each prints why)`);
console.log(`${passed} passed, ${failed} failed`);
