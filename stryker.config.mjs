// @ts-check
/**
 * Mutation testing of the safety core (issue 9, docs/HAZARDS.md): `npm run mutation` runs every group;
 * `MUTATION_GROUP=diary npm run mutation` runs one (clamps, machine, criterion, decoder).
 * Not part of `npm test`. The vitest run is restricted to the tests of the safety core
 * (test/hazards/mutation.vitest.config.ts); per-test coverage runs only the tests that reach a mutant.
 * Reports: docs/mutation/<group>.json and .html (all groups: docs/mutation/mutation.*);
 * docs/mutation/summary.md is written from them by `npx tsx test/hazards/mutation-summary.ts`.
 */

// The fuzz suite names its describe block after its seed: one fixed seed keeps test ids stable
// between the dry run and the mutant runs (per-test coverage matches tests by name).
process.env.FUZZ_SEED ??= '20240901';

/** The safety core, by group. */
export const GROUPS = {
  clamps: [
    'protocol/charge-density.ts',
    'protocol/current-split.ts',
    'src/session/charge-density-limit.ts',
    'src/session/contact-share.ts',
    'src/session/tonic-clamps.ts',
    'src/session/amplitude-window.ts',
    'src/session/step-grid.ts',
    'src/session/pulse-width-change.ts',
  ],
  // The session machine's guards and actions: the deciders, reconcile, the context steps.
  machine: [
    'src/session/decide-amplitude.ts',
    'src/session/decide-intent.ts',
    'src/session/decide-output.ts',
    'src/session/decide-program.ts',
    'src/session/decide-search.ts',
    'src/session/decision.ts',
    'src/session/reconcile.ts',
    'src/session/machine-steps.ts',
    'src/session/connection-steps.ts',
    'src/session/stop-steps.ts',
    'src/session/session-data.ts',
    'src/session/telemetry-check.ts',
  ],
  // The 48 h criterion.
  criterion: [
    'src/diary/pain-runs.ts',
    'src/diary/trial-criterion.ts',
    'src/diary/fraction.ts',
    'src/diary/activity-criterion.ts',
  ],
  // The protocol decoder.
  decoder: ['protocol/codec.ts', 'protocol/wire-fields.ts', 'protocol/framing.ts'],
};

const group = process.env.MUTATION_GROUP;
if (group !== undefined && !(group in GROUPS))
  throw new Error(`MUTATION_GROUP must be one of ${Object.keys(GROUPS).join(', ')}, got '${group}'`);
const name = group ?? 'mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/hazards/mutation.vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A mutant that loops for ever is a timeout (counted as detected). Generous, so a busy machine
  // does not turn a slow test into a false "timeout".
  timeoutMS: 5_000,
  // Module-level constants would need every test for every mutant; their values are pinned by tests.
  ignoreStatic: true,
  mutate: group ? GROUPS[/** @type {keyof typeof GROUPS} */ (group)] : Object.values(GROUPS).flat(),
  // Re-runs only mutants whose code or tests changed since the last report of the same group.
  incremental: true,
  incrementalFile: `docs/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `docs/mutation/${name}.html` },
  jsonReporter: { fileName: `docs/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
