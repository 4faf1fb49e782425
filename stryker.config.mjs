// @ts-check
// The fuzz suite names its describe block after its seed: one fixed seed keeps test ids stable
// between the dry run and the mutant runs (per-test coverage matches tests by name).
process.env.FUZZ_SEED ??= '20240901';

/**
 * Mutation testing of the safety core (issue 9, docs/HAZARDS.md): `npm run mutation`.
 * Not part of `npm test`. The vitest run is restricted to the tests of the safety core
 * (test/hazards/mutation.vitest.config.ts); per-test coverage runs only the tests that reach a mutant.
 * Run one group: `npm run mutation -- --mutate 'src/diary/*.ts'` (any glob of the list below).
 * Reports: docs/mutation/ (summary.md is written from mutation.json by test/hazards/mutation-summary.ts).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/hazards/mutation.vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A mutant that loops for ever is a timeout (counted as detected); do not wait long for it.
  timeoutMS: 2_000,
  // Re-runs only mutants whose code or tests changed since the last report.
  incremental: true,
  incrementalFile: 'docs/mutation/stryker-incremental.json',
  // Module-level constants would need every test for every mutant; their values are pinned by tests.
  ignoreStatic: true,
  mutate: [
    // clamps and charge density
    'protocol/charge-density.ts',
    'src/session/charge-density-limit.ts',
    'src/session/tonic-clamps.ts',
    'src/session/amplitude-window.ts',
    'src/session/step-grid.ts',
    'src/session/pulse-width-change.ts',
    // the session machine's guards and actions: the deciders, reconcile, the context steps
    'src/session/decide-amplitude.ts',
    'src/session/decide-intent.ts',
    'src/session/decide-output.ts',
    'src/session/decide-program.ts',
    'src/session/decide-search.ts',
    'src/session/decision.ts',
    'src/session/reconcile.ts',
    'src/session/machine-steps.ts',
    'src/session/telemetry-check.ts',
    // the 48 h criterion
    'src/diary/pain-runs.ts',
    'src/diary/trial-criterion.ts',
    'src/diary/fraction.ts',
    'src/diary/activity-criterion.ts',
    // the protocol decoder
    'protocol/codec.ts',
    'protocol/framing.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'docs/mutation/mutation.html' },
  jsonReporter: { fileName: 'docs/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
