// Prints vitest's JSON reports as plain lines, one per run, and ends with the total as one line:
// "Tests: N passed, N failed". Usage: node scripts/test-summary.mjs [REPORT.json …]
// (default reports/vitest.json). A missing report counts as a failed run.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
const reports = files.length > 0 ? files : [new URL('../reports/vitest.json', import.meta.url).pathname];
let passed = 0;
let failed = 0;
const missing = [];
for (const file of reports) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const f =
      report.numFailedTests +
      (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
    passed += report.numPassedTests;
    failed += f;
    if (reports.length > 1) console.log(`  ${file}: ${report.numPassedTests} passed, ${f} failed`);
  } catch (err) {
    missing.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
if (missing.length === reports.length) console.log(`Tests: no report (${missing.join('; ')})`);
else {
  for (const m of missing) console.log(`  no report: ${m}`);
  console.log(`Tests: ${passed} passed, ${failed + missing.length} failed`);
}
