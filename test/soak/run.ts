/**
 * `npm run soak [-- --seed N --minutes M --fuzz-cases N --kills N]`: the reliability soak, bounded
 * (it stops by itself within 10 minutes).
 *
 * 1. protocol fuzzing: ≥10^5 random and mutated lines into the codec, the generator server, the
 *    companion's request channel, and hostile values into the encoder;
 * 2. crash durability: SIGKILLs of diary writers mid-write, every acknowledged entry checked;
 * 3. fault soak: bedside sessions over a real pseudo-terminal with dropped, corrupted, duplicated and
 *    delayed lines, unplugs and generator resets, invariants checked against the generator model.
 *
 * Prints how many faults of each kind were injected and how often each invariant was checked; exits 1
 * on any violation, naming the seed (`--seed N` replays the same scripts and fault schedule; timing
 * on a real pty still varies).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../../firmware-sim/fault-injector.js';
import { fuzzAll } from '../fuzz/fuzz-targets.js';
import { bundleWriter, checkSurvivors, writeUntilKilled } from '../reliability/kill-writer.js';
import { runFaultSoak } from './fault-soak.js';

const HARD_LIMIT_MS = 9.5 * 60_000;
const started = performance.now();

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    minutes: { type: 'string', default: '8' },
    'fuzz-cases': { type: 'string', default: '30000' },
    kills: { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run soak -- [--seed N] [--minutes M (≤9)] [--fuzz-cases N per target, default 30000 × 4] [--kills N, default 200]',
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

// Whatever happens, the soak ends: a hang past the limit is itself a failure.
setTimeout(() => {
  console.error(
    `\nFAIL: the soak did not finish within ${HARD_LIMIT_MS / 60_000} minutes (hang). Replay: npm run soak -- --seed ${seed}`,
  );
  process.exit(1);
}, HARD_LIMIT_MS).unref();

const violations: string[] = [];
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
console.log(`scs reliability soak, seed ${seed} (replay: npm run soak -- --seed ${seed})`);

// 1. fuzzing
console.log(`\n1. protocol fuzzing, ${fuzzCases} cases per target`);
let fuzzTotal = 0;
for (const report of fuzzAll(seed, fuzzCases)) {
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
console.log(`  total ${fuzzTotal} cases (${elapsed()})`);

// 2. crash durability
console.log(`\n2. crash durability, ${kills} SIGKILLs mid-write`);
if (kills > 0) {
  const writer = bundleWriter();
  const random = seededRandom(seed);
  const lanes = 6;
  const totals = { kills: 0, acknowledged: 0, beforeReady: 0 };
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scs-soak-kill-${lane}-`));
      const acknowledged = new Map<number, string>();
      try {
        for (let k = 0; k < Math.ceil(kills / lanes); k++) {
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
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
  fs.rmSync(writer, { force: true });
  console.log(
    `  ${totals.kills} kills (${totals.beforeReady} while the store was opening), ${totals.acknowledged} acknowledged entries checked after every kill (${elapsed()})`,
  );
}

// 3. fault soak, for the time that is left
const budgetMs = Math.max(10_000, minutes * 60_000 - (performance.now() - started));
console.log(`\n3. fault soak over a pseudo-terminal for ${Math.round(budgetMs / 1000)} s`);
const soak = await runFaultSoak({ seed, durationMs: budgetMs, log: console.log });
console.log(
  `  ${soak.operations} operations in ${(soak.elapsedMs / 1000).toFixed(1)} s; generator executed ${soak.executed} requests, replayed ${soak.replayed} from its cache`,
);
console.log(
  `  faults injected: ${Object.entries(soak.faults)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
console.log(
  `  invariants checked: ${Object.entries(soak.invariants)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
console.log(`  generator NAKs by code: ${JSON.stringify(soak.generatorNaks)}`);
console.log(
  `  link counters: ${Object.entries(soak.link)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
console.log(
  `  commands [accepted, sent]: ${Object.entries(soak.commands)
    .map(([k, [a, n]]) => `${k} ${a}/${n}`)
    .join(', ')}`,
);
violations.push(...soak.violations.map((v) => `fault soak: ${v}`));

console.log(
  `\n${violations.length === 0 ? 'PASS' : 'FAIL'}: ${violations.length} violations in ${elapsed()} (seed ${seed})`,
);
for (const v of violations) console.log(`  ${v}`);
if (violations.length) console.log(`Replay: npm run soak -- --seed ${seed}`);
process.exit(violations.length ? 1 : 0);
