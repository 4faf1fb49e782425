// Prints vitest's JSON report as one plain closing line: "Tests: N passed, N failed".
import { readFileSync } from 'node:fs';

try {
  const report = JSON.parse(readFileSync(new URL('../reports/vitest.json', import.meta.url), 'utf8'));
  const failed = report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  console.log(`Tests: ${report.numPassedTests} passed, ${failed} failed`);
} catch (err) {
  console.log(`Tests: no report (${err instanceof Error ? err.message : String(err)})`);
}
