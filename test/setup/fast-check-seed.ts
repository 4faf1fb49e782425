import fc from 'fast-check';

// Property tests explore new random cases on every local run; under CI they use one fixed seed so a
// submission's result does not depend on the draw (a failure still prints its seed and path to replay).
// FC_SEED=N replays a given seed anywhere. CI is read as it was when the worker started: the next
// setup file unsets it, and a worker runs several test files.
process.env.SCS_TEST_CI_AT_START ??= process.env.CI ?? '';
const ci = process.env.SCS_TEST_CI_AT_START;
const seed = process.env.FC_SEED ?? (ci !== '' && ci !== 'false' && ci !== '0' ? '20261124' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
