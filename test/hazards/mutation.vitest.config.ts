import { defineConfig } from 'vitest/config';

/**
 * The vitest run Stryker uses (`npm run mutation`, stryker.config.mjs): only the tests that exercise
 * the safety core, all pure or on the in-process generator model (no pseudo-terminals, no SQLite),
 * so every mutant is judged in seconds. Not used by `npm test`, which runs everything.
 */
export default defineConfig({
  test: {
    include: [
      'test/protocol/charge-density.test.ts',
      'test/protocol/current-split.test.ts',
      'test/session/contact-share.test.ts',
      'test/protocol/codec.test.ts',
      'test/protocol/framing.test.ts',
      'test/protocol/crc16.test.ts',
      'test/protocol/line-splitter.test.ts',
      'test/fuzz/protocol-fuzz.test.ts',
      'test/session/session-rules.test.ts',
      'test/session/machine-coverage.test.ts',
      'test/session/session-properties.test.ts',
      'test/session/tonic-clamps.test.ts',
      'test/session/amplitude-window.test.ts',
      'test/session/electrodes-weiss-width.test.ts',
      'test/diary/trial-criterion.test.ts',
      'test/diary/trial-criterion.property.test.ts',
      'test/diary/data-quality.test.ts',
      // Hazard tests without a serial port (Stryker runs vitest in worker threads, where the native
      // serial binding crashes): the graph check and the tests written to kill mutants.
      'test/hazards/h2-way-back.test.ts',
      'test/hazards/core-*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
