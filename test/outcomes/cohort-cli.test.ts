import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import cohort from '../../src/cli/cohort-command.js';
import { UserError, UsageError } from '../../src/errors/user-error.js';
import type { CommandIo } from '../../src/cli/command.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TABLE1 = path.join(ROOT, 'test', 'fixtures', 'cohort', 'table1.csv');
const PUBLISHED = path.join(ROOT, 'test', 'fixtures', 'cohort', 'published.json');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

// Never the real data directory: every run points the store at an empty temporary one.
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-cohort-cli-'));

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  const io: CommandIo = {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: { SCS_DATA_DIR: DATA_DIR },
  };
  const code = await cohort.run(argv, io);
  return { code, out };
}

describe('scs cohort report', () => {
  it('prints the human report with the paper figures', async () => {
    const { code, out } = await run(['report', '--file', TABLE1]);
    expect(code).toBe(0);
    expect(out).toMatch(/age, years\s+66\.3 ± 8\.9 \(range 58–84\)/);
    expect(out).toMatch(/Cohen's dz 0\.89; post hoc power 0\.71/);
    expect(out).toMatch(/≥30% at final follow-up: 5 of 10 \(50\.0%\)/);
  });

  it('--compare-published flags the figures where the text and Table 1 disagree', async () => {
    const { out } = await run(['report', '--file', TABLE1, '--compare-published', PUBLISHED]);
    expect(out).toMatch(/50 match, 5 differ, 4 not in the data/);
    expect(out).toMatch(/side\.L\s+6\s+4\s+DIFFERS/);
    expect(out).toMatch(/groups\.drez\.nrs\.final\.mean\s+3\.5\s+2\.3\s+DIFFERS/);
  });

  it('--json with --compare-published adds a comparison object', async () => {
    const { out } = await run(['report', '--file', TABLE1, '--json', '--compare-published', PUBLISHED]);
    const doc = JSON.parse(out);
    expect(doc.comparison).toMatchObject({ match: 50, differs: 5, notInData: 4 });
    expect(doc.groups['scs-implant'].nrs.final.mean).toBeCloseTo(19 / 3, 12);
  });

  it('--quantiles switches the IQR definition', async () => {
    const hf6 = JSON.parse((await run(['report', '--file', TABLE1, '--json'])).out);
    const hf7 = JSON.parse((await run(['report', '--file', TABLE1, '--json', '--quantiles', 'hf7'])).out);
    expect(hf6.age.q3).toBe(73); // (n+1)p = 8.25 → x8 + 0.25(x9 − x8) = 73 + 0
    expect(hf7.age.q3).toBe(72.75); // 1 + (n−1)p = 7.75 → 72 + 0.75·1
  });

  it('refuses a bad file with every problem, and bad usage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-cohort-'));
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, fs.readFileSync(TABLE1, 'utf8').replace('4,M,72,T8–T12', '4,M,172,T8–T14'));
    await expect(run(['report', '--file', bad])).rejects.toThrow(UserError);
    await expect(run(['report', '--file', bad])).rejects.toThrow(
      /bad\.csv:5:3 \(age\): 172 is outside 0–120 years[\s\S]*bad\.csv:5:4 \(location\)/,
    );
    // No --file and an empty store: says where the data would come from.
    await expect(run(['report'])).rejects.toThrow(/no database|no patients/);
    await expect(run(['report', 'table1.csv'])).rejects.toThrow(UsageError);
    await expect(run(['report', '--file', TABLE1, '--quantiles', 'hf9'])).rejects.toThrow(/hf6 or hf7/);
    await expect(run(['frobnicate'])).rejects.toThrow(/unknown subcommand/);
    expect((await run(['report', '--help'])).out).toMatch(/--compare-published FILE/);
  });
});

describe('scs cohort report as a real process', () => {
  it('--json writes exactly one JSON document with the contract keys', () => {
    const out = execFileSync(TSX, [MAIN, 'cohort', 'report', '--file', TABLE1, '--json'], { encoding: 'utf8' });
    const doc = JSON.parse(out);
    expect(doc.n).toBe(10);
    expect(doc.age.mean).toBeCloseTo(66.3, 12);
    expect(doc.effect.dz).toBeCloseTo(0.893226041232675, 10);
  });

  it('a missing file is one line on stderr, exit 1, no stack trace', () => {
    const r = spawnSync(TSX, [MAIN, 'cohort', 'report', '--file', '/nonexistent/cohort.csv'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^scs: cannot read cohort file \/nonexistent\/cohort\.csv: no such file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
