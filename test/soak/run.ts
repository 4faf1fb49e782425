/**
 * `npm run soak [-- --seed N --minutes M --fuzz-cases N --kills N --restarts N --long-requests N
 * --contention-s S --hard-limit-s S]`: the reliability soak, bounded (it stops by itself within 10 minutes).
 *
 * Every phase has a time box taken from `--minutes` (fuzz 20 %, kills 15 %, restarts 20 %, long session
 * 10 %, the fault soak what is left). A box only truncates a phase: cases, kills and rounds are decided
 * by the seed and their index, so a shorter run is a prefix of the full one, and the summary says how
 * many of each ran. A hard limit, SIGINT or SIGTERM SIGKILLs every child (diary writers, companions,
 * CPU spinners) before the soak exits.
 *
 * 1. protocol fuzzing: ≥10^5 random and mutated lines into the codec, the generator server, the
 *    companion's request channel, and hostile values into the encoder;
 * 2. crash durability: SIGKILLs of diary writers mid-write, every acknowledged entry checked;
 * 3. companion restarts: a real `scs script` process SIGKILLed mid-search (or after a commit), a new
 *    one started inside the watchdog; it never inherits test output, committed therapy keeps running;
 * 4. a session of ≥10^6 requests across the end of the seq space (simulated clock), model invariants on;
 * 5. fault soak: bedside sessions over a real pseudo-terminal with dropped, corrupted, duplicated,
 *    delayed and held lines (holds of 200–1000 lines), unplugs and generator resets, invariants checked
 *    against the generator model; its last part runs under CPU contention (a busy process per core).
 *
 * Prints how many faults of each kind were injected and how often each invariant was checked; exits 1
 * on any violation, naming the seed and printing the wire (last 50 lines each way) at the first one.
 * The fault schedule is decided by the seed and line counts only: the digest printed at the end is the
 * same for two runs of one seed (`--seed N` replays scripts and schedule; pty timing still varies).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../../firmware-sim/fault-injector.js';
import { fuzzAll } from '../fuzz/fuzz-targets.js';
import { killChildrenOnExit } from '../helpers/child-registry.js';
import { bundleWriter, checkSurvivors, writeUntilKilled } from '../reliability/kill-writer.js';
import { MAX_SEQ } from '../../protocol/index.js';
import { runCompanionRestarts } from './companion-restart.js';
import { withCpuContention } from './cpu-contention.js';
import { DIGEST_LINES, runFaultSoak, type SoakReport } from './fault-soak.js';
import { runLongSession } from './long-session.js';
import { ModelWatch } from './model-watch.js';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';

const started = performance.now();
/** Shares of the `--minutes` budget each phase may use at most (the fault soak takes what is left). */
const BOX = { fuzz: 0.2, kills: 0.15, restarts: 0.2, long: 0.1 };

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    minutes: { type: 'string', default: '8' },
    'fuzz-cases': { type: 'string', default: '30000' },
    kills: { type: 'string', default: '200' },
    restarts: { type: 'string', default: '4' },
    'long-requests': { type: 'string', default: '1000000' },
    'contention-s': { type: 'string', default: '60' },
    'hard-limit-s': { type: 'string', default: '570' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run soak -- [--seed N] [--minutes M (≤9)] [--fuzz-cases N per target, default 30000 × 4] [--kills N, default 200]\n' +
      '  [--restarts N companion SIGKILL+restart rounds, default 4] [--long-requests N, default 1000000]\n' +
      '  [--contention-s S of the fault soak under CPU contention, default 60] [--hard-limit-s S, default 570]\n' +
      'Each phase is time-boxed from --minutes (fuzz 20%, kills 15%, restarts 20%, long session 10%, fault soak the rest);\n' +
      'a box only truncates (the summary says how many cases/kills/rounds ran), so --seed N replays the same schedule.',
  );
  process.exit(0);
}
const positiveInt = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number ≥ 0, got '${text}'`);
    process.exit(2);
  }
  return n;
};
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positiveInt('seed', values.seed);
const minutes = Math.min(Number(values.minutes), 9);
if (!(minutes > 0)) {
  console.error(`--minutes must be a number above 0, got '${values.minutes}'`);
  process.exit(2);
}
const fuzzCases = positiveInt('fuzz-cases', values['fuzz-cases']);
const kills = positiveInt('kills', values.kills);
const restarts = positiveInt('restarts', values.restarts);
const longRequests = positiveInt('long-requests', values['long-requests']);
const contentionMs = positiveInt('contention-s', values['contention-s']) * 1000;
const HARD_LIMIT_MS = Math.min(570, positiveInt('hard-limit-s', values['hard-limit-s'])) * 1000;
const budgetMs = minutes * 60_000;

// However the soak ends (done, hard limit, SIGINT/SIGTERM), no child it started outlives it.
killChildrenOnExit((signal) =>
  console.error(
    `\nINTERRUPTED by ${signal} after ${elapsed()}: children killed. Replay: npm run soak -- --seed ${seed}`,
  ),
);
// Whatever happens, the soak ends: a hang past the limit is itself a failure.
setTimeout(() => {
  console.error(
    `\nFAIL: the soak did not finish within ${HARD_LIMIT_MS / 1000} s (hang). Replay: npm run soak -- --seed ${seed}`,
  );
  process.exit(1);
}, HARD_LIMIT_MS).unref();

const violations: string[] = [];
const counts = (o: object) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
const remainingMs = () => budgetMs - (performance.now() - started);
/** performance.now() at which a phase starting now must stop: its share of the budget, never past the budget. */
const boxEnd = (share: number) => performance.now() + Math.max(0, Math.min(share * budgetMs, remainingMs()));
const ran: string[] = [];
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
console.log(`scs reliability soak, seed ${seed} (replay: npm run soak -- --seed ${seed})`);

// 1. fuzzing
const fuzzBoxMs = BOX.fuzz * budgetMs;
console.log(`\n1. protocol fuzzing, ${fuzzCases} cases per target (time box ${Math.round(fuzzBoxMs / 1000)} s)`);
let fuzzTotal = 0;
for (const report of fuzzAll(seed, fuzzCases, fuzzBoxMs)) {
  fuzzTotal += report.cases;
  console.log(
    `  ${report.target}: ${report.cases} cases, slowest ${report.slowestMs.toFixed(2)} ms, ${report.violations.length} violations`,
  );
  console.log(
    `    outcomes: ${Object.entries(report.outcomes)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  violations.push(...report.violations.map((v) => `fuzz ${report.target} (seed ${report.seed}): ${v}`));
}
console.log(`  total ${fuzzTotal} of ${4 * fuzzCases} cases (${elapsed()})`);
ran.push(`fuzz ${fuzzTotal}/${4 * fuzzCases} cases`);

// 2. crash durability
const killsEnd = boxEnd(BOX.kills);
console.log(
  `\n2. crash durability, ${kills} SIGKILLs mid-write (time box ${Math.round((killsEnd - performance.now()) / 1000)} s)`,
);
if (kills > 0) {
  const writer = bundleWriter();
  const lanes = 6;
  const perLane = Math.ceil(kills / lanes);
  const totals = { kills: 0, acknowledged: 0, beforeReady: 0 };
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      // One PRNG per lane: kill k of lane l is decided by (seed, l, k) alone, however the lanes interleave.
      const random = seededRandom((seed + 0x9e3779b1 * (lane + 1)) >>> 0);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scs-soak-kill-${lane}-`));
      // An interrupted soak removes it too (after its writers are killed: that exit handler came first).
      const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
      process.once('exit', removeDir);
      const acknowledged = new Map<number, string>();
      try {
        for (let k = 0; k < perLane && performance.now() < killsEnd; k++) {
          const early = random() < 0.1;
          const result = await writeUntilKilled(writer, dir, k, Math.floor(random() * 150), !early);
          totals.kills++;
          if (result.beforeReady) totals.beforeReady++;
          for (const [id, at] of result.acks) acknowledged.set(id, at);
          const check = await checkSurvivors(dir, acknowledged);
          if (check.integrity !== 'ok' || check.lost.length || check.splitImports) {
            violations.push(
              `crash lane ${lane} kill ${k}: integrity ${check.integrity}, lost ${check.lost.join(',') || 'none'}, split imports ${check.splitImports}`,
            );
          }
        }
        totals.acknowledged += acknowledged.size;
      } finally {
        removeDir();
        process.off('exit', removeDir);
      }
    }),
  );
  fs.rmSync(writer, { force: true });
  console.log(
    `  ${totals.kills} of ${perLane * lanes} kills (${totals.beforeReady} while the store was opening), ${totals.acknowledged} acknowledged entries checked after every kill (${elapsed()})`,
  );
  ran.push(`kills ${totals.kills}/${perLane * lanes}`);
}

// 3. companion SIGKILL + restart inside the watchdog
let firstTrace: string | undefined;
console.log(
  `\n3. companion restarts: ${restarts} rounds of SIGKILL mid-session and a new companion inside the watchdog`,
);
// On a loaded machine fuzzing and kills can take most of the budget: then one round only (each round
// starts two tsx processes), so the soak still ends inside its hard limit.
const rounds = remainingMs() < 150_000 ? Math.min(restarts, 1) : restarts;
if (rounds < restarts)
  console.log(`  (${rounds} round only: ${Math.round(remainingMs() / 1000)} s of the budget left)`);
if (rounds > 0) {
  // Rounds run whole; none starts after the box (but the first always does).
  const r = await runCompanionRestarts({ seed, rounds, stopAt: boxEnd(BOX.restarts), log: console.log });
  ran.push(`restarts ${r.rounds}/${restarts}`);
  console.log(
    `  ${r.rounds} rounds, ${r.kills} SIGKILLs (during test output ${r.killedDuring.test}, during therapy ${r.killedDuring.therapy}); invariants: ${counts(r.invariants)} (${elapsed()})`,
  );
  violations.push(...r.violations.map((v) => `restart: ${v}`));
  firstTrace ??= r.wireTrace;
}

// 4. a session of ≥10^6 requests across the end of the seq space
console.log(
  `\n4. one session of ${longRequests} requests, starting ${Math.round(longRequests / 2)} before the end of the seq space`,
);
if (longRequests > 0) {
  const model = new GeneratorModel({ batteryDrainPctPerS: 0 });
  const watch = new ModelWatch(model, { armed: true, patientCeilingUa: () => null }, () => performance.now() - started);
  const half = Math.round(longRequests / 2);
  const r = runLongSession({ requests: longRequests, firstSeq: MAX_SEQ - half, model, stopAt: boxEnd(BOX.long) });
  ran.push(`long session ${r.requests}/${longRequests} requests`);
  // A time box may end it before the seq end (then no renewal is expected).
  const crossed = r.requests > half;
  const wrong = [
    ...(Object.keys(r.refusals).length ? [`refusals ${JSON.stringify(r.refusals)}`] : []),
    ...(crossed && r.renewals < 1 ? ['no session renewal across the seq end'] : []),
    ...(r.stopsNotOff ? [`${r.stopsNotOff} STOPs left output on`] : []),
    ...(r.outputAtRenewals.includes('off') || r.endedTest ? ['a renewal ended its own test output'] : []),
  ];
  console.log(
    `  ${r.requests} requests, ${r.renewals} renewal(s), refusals ${JSON.stringify(r.refusals)}; invariants: ${counts(watch.checks)} (${elapsed()})`,
  );
  violations.push(...wrong.map((w) => `long session: ${w}`), ...watch.violations.map((v) => `long session: ${v}`));
}

// 5. fault soak, for the time that is left; its last part under CPU contention
const soakMs = Math.max(20_000, remainingMs());
// Contention gets its full time when the budget allows, else half of what is left (at least 10 s).
const busyMs = contentionMs > 0 ? Math.max(10_000, Math.min(contentionMs, soakMs / 2)) : 0;
const calmMs = Math.max(10_000, soakMs - busyMs);
console.log(`\n5. fault soak over a pseudo-terminal for ${Math.round(calmMs / 1000)} s`);
const report = (soak: SoakReport, what: string) => {
  console.log(
    `  ${soak.operations} operations in ${(soak.elapsedMs / 1000).toFixed(1)} s; generator executed ${soak.executed} requests, replayed ${soak.replayed} from its cache`,
  );
  console.log(`  faults injected: ${counts(soak.faults)}`);
  console.log(
    `  longest hold released: ${soak.holds.longestLines} lines, ${(soak.holds.longestMs / 1000).toFixed(1)} s (${soak.holds.released} released)`,
  );
  console.log(`  invariants checked: ${counts(soak.invariants)}`);
  console.log(`  generator NAKs by code: ${JSON.stringify(soak.generatorNaks)}`);
  console.log(`  link counters: ${counts(soak.link)}`);
  console.log(
    `  commands [accepted, sent]: ${Object.entries(soak.commands)
      .map(([k, [a, n]]) => `${k} ${a}/${n}`)
      .join(', ')}`,
  );
  console.log(
    `  fault schedule digest (first ${soak.digestLines} lines each way, seed ${soak.seed}): ${soak.scheduleDigest} (lines seen ${soak.lines.inbound} in, ${soak.lines.outbound} out${soak.digestLines < DIGEST_LINES ? '; run shorter than the usual prefix' : ''})`,
  );
  violations.push(...soak.violations.map((v) => `${what}: ${v}`));
  firstTrace ??= soak.wireTrace;
};
const calm = await runFaultSoak({ seed, durationMs: calmMs, log: console.log });
report(calm, 'fault soak');
ran.push(`fault soak ${calm.operations} operations`);
if (calm.holds.longestMs < 15_000 || calm.holds.longestLines < 64)
  console.log('  NOTE: no hold reached 15 s and 64 lines in this run (too short for the delay class of issue 12)');
if (busyMs > 0) {
  console.log(`\n5b. fault soak under CPU contention (one busy process per core) for ${Math.round(busyMs / 1000)} s`);
  const { result: busy, busy: spinners } = await withCpuContention(busyMs + 30_000, () =>
    runFaultSoak({ seed: (seed + 1) >>> 0, durationMs: busyMs, log: console.log }),
  );
  console.log(`  ${spinners} busy processes, all killed after the phase`);
  report(busy, 'fault soak under contention');
  ran.push(`under contention ${busy.operations} operations`);
}

console.log(`\nran (seed ${seed}): ${ran.join('; ')}`);
console.log(
  `${violations.length === 0 ? 'PASS' : 'FAIL'}: ${violations.length} violations in ${elapsed()} (seed ${seed})`,
);
for (const v of violations) console.log(`  ${v}`);
if (firstTrace) console.log(`\nWire at the first violation (seed ${seed}):\n${firstTrace}`);
if (violations.length) console.log(`Replay: npm run soak -- --seed ${seed}`);
process.exit(violations.length ? 1 : 0);
