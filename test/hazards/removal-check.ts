/**
 * Takes each hazard's protection away (test/hazards/removals.ts) in a COPY of the checkout and runs the
 * tests that must then fail; writes docs/mutation/removal-checks.md. The working tree is never
 * touched, so it is safe while others work in it. Also checks the named tests pass without the removal.
 *
 *   npx tsx test/hazards/removal-check.ts [--only H13] [--out docs/mutation/removal-checks.md]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REMOVALS, type Removal } from './removals.js';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } } });
const out = path.resolve(root, values.out ?? 'docs/mutation/removal-checks.md');
const removals = REMOVALS.filter((r) => !values.only || r.hazard === values.only);

/** A copy of the tracked files (and untracked, not ignored ones) with node_modules linked. */
function sandbox(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-removal-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(root, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

type Status = 'passed' | 'failed' | 'missing';

/** Runs one test file in the sandbox; the status of each named test (matched by its own title). */
function run(dir: string, file: string, names: string[]): Map<string, Status> {
  // vitest.config.ts names its own JSON report file; use whichever the run wrote.
  const mine = path.join(dir, 'removal-report.json');
  const configured = path.join(dir, 'reports/vitest.json');
  for (const f of [mine, configured]) fs.rmSync(f, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_SEED: process.env.FUZZ_SEED ?? '20240901' };
  delete env.CI;
  spawnSync(
    process.execPath,
    [path.join(dir, 'node_modules/vitest/vitest.mjs'), 'run', file, '--reporter=json', `--outputFile=${mine}`],
    { cwd: dir, env, stdio: 'ignore', timeout: 300_000 },
  );
  const result = new Map<string, Status>(names.map((n) => [n, 'missing']));
  const report = fs.existsSync(mine) ? mine : configured;
  if (!fs.existsSync(report)) return result;
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
  };
  for (const t of json.testResults.flatMap((r) => r.assertionResults)) {
    for (const n of names) {
      // A template-literal name (`${signal} …`) matches every title it expands to; all must agree.
      const pattern = new RegExp(
        `^${n
          .split(/\$\{[^}]+\}/)
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.+')}$`,
      );
      if (!pattern.test(t.title)) continue;
      const s: Status = t.status === 'passed' ? 'passed' : 'failed';
      const prev = result.get(n)!;
      result.set(n, prev === 'missing' ? s : prev === 'failed' || s === 'failed' ? 'failed' : 'passed');
    }
  }
  return result;
}

function apply(dir: string, r: Removal): Array<[string, string]> {
  const saved: Array<[string, string]> = [];
  for (const e of r.edits) {
    const file = path.join(dir, e.file);
    const text = fs.readFileSync(file, 'utf8');
    const count = text.split(e.find).length - 1;
    if (count !== 1)
      throw new Error(`${r.hazard} (${r.what}): expected the text once in ${e.file}, found it ${count} times`);
    saved.push([file, text]);
    fs.writeFileSync(
      file,
      text.replace(e.find, () => e.replace),
    );
  }
  return saved;
}

const dir = sandbox();
const lines: string[] = [];
let broken = 0;
try {
  // Without any removal every named test passes (else a failure below would prove nothing).
  const byFile = new Map<string, Set<string>>();
  for (const r of removals)
    for (const [f, ns] of Object.entries(r.fails))
      for (const n of ns) (byFile.get(f) ?? byFile.set(f, new Set()).get(f)!).add(n);
  const baseline = new Map<string, Status>();
  for (const [f, ns] of byFile) for (const [n, s] of run(dir, f, [...ns])) baseline.set(`${f}\0${n}`, s);

  for (const r of removals) {
    const saved = apply(dir, r);
    try {
      for (const [f, ns] of Object.entries(r.fails)) {
        const statuses = run(dir, f, ns);
        for (const n of ns) {
          const before = baseline.get(`${f}\0${n}`);
          const after = statuses.get(n);
          const ok = before === 'passed' && after === 'failed';
          if (!ok) broken++;
          lines.push(
            `| ${r.hazard} | ${r.what} (${r.edits.map((e) => `\`${e.file}\``).join(', ')}) | \`${f}\` › ${n} | ${before} | ${after} | ${ok ? 'yes' : '**NO**'} |`,
          );
          process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${r.hazard} ${f} › ${n}: ${before} → ${after}\n`);
        }
      }
    } finally {
      for (const [file, text] of saved) fs.writeFileSync(file, text);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const doc = `# Removal checks (hazard protections taken away)

Written by \`npx tsx test/hazards/removal-check.ts\` at commit ${commit}${values.only ? ` (only ${values.only})` : ''}, ${new Date().toISOString().slice(0, 10)}.
Each row: one protection removed in a copy of the checkout (test/hazards/removals.ts), the named test run
there. "without" is the test's result with the protection in place, "with removal" after taking it away.
A row proves the test guards the protection only when it passes without and fails with the removal.

| hazard | protection removed | test | without | with removal | proves it |
|---|---|---|---|---|---|
${lines.join('\n')}

${broken === 0 ? `All ${lines.length} checks hold.` : `${broken} of ${lines.length} checks do NOT hold.`}
`;
if (!values.only) fs.writeFileSync(out, doc);
else process.stdout.write(doc);
process.exitCode = broken === 0 ? 0 : 1;
