import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/user-error.js';
import { exitCodeOf } from '../../src/cli/cli-error.js';
import diary from '../../src/cli/diary-command.js';

const FIX = path.resolve('test/fixtures/diary');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `scs diary ARGS` in-process with a fake terminal; UserErrors become exit code + stderr like main.ts. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  let code: number;
  try {
    code = await diary.run(args, { stdout, stderr, stdin: new PassThrough(), env });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    code = exitCodeOf(e);
    err += e.message;
  }
  return { code, out, err };
}

/** A real process: `node --import tsx src/cli/main.ts diary ARGS` (what `npx tsx` runs). */
function spawnScs(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'diary', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SCS_DATA_DIR: path.join(dir, 'env-data'), ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dataDir = () => ['--data-dir', path.join(dir, 'data')];
const dbExists = () => fs.existsSync(path.join(dir, 'data', 'scs.db'));

describe('scs diary evaluate --file (real processes)', () => {
  it('prints exactly one JSON object with the contract keys and exits 0 on pass', () => {
    const r = spawnScs(['evaluate', '--file', path.join(FIX, 'pass.csv'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(json.verdict).toBe('pass');
    expect(json.baseline.nrs).toBeCloseTo(20 / 3, 12);
    expect(json.baseline.entries).toBe(3);
    expect(json.pain.met).toBe(true);
    // B = 20/3, so NRS 5 (29 March 20:00) does not respond; the run from 30 March 08:00+01:00 to
    // 1 April 09:00+02:00 is exactly 48 h across the daylight-saving change.
    expect(json.pain.bestRunHours).toBe(48);
    expect(json.pain.window).toEqual({ start: '2024-03-30T08:00+01:00', end: '2024-04-01T09:00+02:00' });
    expect(json.pain50.met).toBe(false);
    expect(json.activity.met).toBe(true);
    expect(json.reasons.every((s: unknown) => typeof s === 'string')).toBe(true);
  });

  it('exits 0 on a fail verdict too', () => {
    const r = spawnScs(['evaluate', '--file', path.join(FIX, 'fail.csv'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.verdict).toBe('fail');
    expect(json.pain.bestRunHours).toBe(0);
    expect(json.pain.window).toBeNull();
    expect(json.activity.met).toBe(false);
  });

  it('exits non-zero with line numbers and nothing on stdout for a bad file', () => {
    const r = spawnScs(['evaluate', '--file', path.join(FIX, 'bad-rows.csv'), '--json']);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/bad-rows\.csv:line 3, column timestamp: .*no UTC offset/);
    expect(r.err).toMatch(/line 4, column nrs: NRS 12 is out of range/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('stores through SCS_DATA_DIR and evaluates from the store', () => {
    expect(spawnScs(['import', '--patient', 'P-9', path.join(FIX, 'pass.csv')]).code).toBe(0);
    const r = spawnScs(['evaluate', '--patient', 'P-9', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).verdict).toBe('pass');
    expect(fs.statSync(path.join(dir, 'env-data', 'scs.db')).mode & 0o777).toBe(0o600);
  });
});

describe('scs diary (in-process)', () => {
  it('imports, shows, exports, corrects and evaluates through --data-dir', async () => {
    expect((await run(['import', ...dataDir(), '--patient', 'P-1', path.join(FIX, 'pass.csv')])).out).toMatch(
      /imported 10 entries/,
    );
    const shown = JSON.parse((await run(['show', ...dataDir(), '--patient', 'P-1', '--json'])).out);
    expect(shown.entries).toHaveLength(10);
    const exported = await run(['export', ...dataDir(), '--patient', 'P-1']);
    expect(exported.out).toBe(fs.readFileSync(path.join(FIX, 'pass.csv'), 'utf8'));
    const target = shown.entries.find((e: { timestamp: string }) => e.timestamp === '2024-03-30T08:00+01:00');
    const corrected = await run([
      'correct',
      ...dataDir(),
      '--patient',
      'P-1',
      '--id',
      String(target.id),
      '--nrs',
      '9',
      '--reason',
      'misheard',
      '--json',
    ]);
    expect(corrected.code).toBe(0);
    expect(JSON.parse(corrected.out)).toMatchObject({ supersedes: target.id, nrs: 9, correctionReason: 'misheard' });
    const evaluated = JSON.parse((await run(['evaluate', ...dataDir(), '--patient', 'P-1', '--json'])).out);
    // The corrected NRS 9 breaks the run: 30 March 20:00+01:00 → 1 April 09:00+02:00 is 36 h.
    expect(evaluated.pain.met).toBe(false);
    expect(evaluated.pain.longestRunHours).toBe(36);
    expect(evaluated.verdict).toBe('fail');
    const history = JSON.parse((await run(['show', ...dataDir(), '--patient', 'P-1', '--history', '--json'])).out);
    expect(history.entries).toHaveLength(11);
  });

  it('adds entries, infers the phase from the trial start, and refuses a duplicate NRS', async () => {
    expect(
      (await run(['add', ...dataDir(), '--patient', 'P-2', '--nrs', '5', '--at', '2024-03-30T08:00+01:00'])).code,
    ).toBe(2);
    expect(dbExists()).toBe(false); // refused before the store was created
    expect((await run(['trial', ...dataDir(), '--patient', 'P-2', '--start', '2024-03-29T08:00+01:00'])).code).toBe(0);
    const a = JSON.parse(
      (await run(['add', ...dataDir(), '--patient', 'P-2', '--nrs', '5', '--at', '2024-03-30T08:00+01:00', '--json']))
        .out,
    );
    expect(a.phase).toBe('trial');
    const b = JSON.parse(
      (
        await run([
          'add',
          ...dataDir(),
          '--patient',
          'P-2',
          '--pdi-domains',
          '1,2,3,4,5,6,7',
          '--at',
          '2024-03-28T08:00+01:00',
          '--json',
        ])
      ).out,
    );
    expect([b.phase, b.pdi]).toEqual(['baseline', 28]);
    const dup = await run([
      'add',
      ...dataDir(),
      '--patient',
      'P-2',
      '--nrs',
      '6',
      '--phase',
      'trial',
      '--at',
      '2024-03-30T07:00Z',
    ]);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already has an NRS/);
    expect(JSON.parse((await run(['show', ...dataDir(), '--patient', 'P-2', '--json'])).out).entries).toHaveLength(2);
  });

  it('writes --out files with mode 0600 and never overwrites one', async () => {
    await run(['import', ...dataDir(), '--patient', 'P-3', path.join(FIX, 'fail.csv')]);
    const out = path.join(dir, 'export.csv');
    expect((await run(['export', ...dataDir(), '--patient', 'P-3', '--out', out])).code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const again = await run(['export', ...dataDir(), '--patient', 'P-3', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; export never overwrites a file/);
  });

  it('prints help for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/evaluate/);
    expect((await run(['evaluate', '--help'])).code).toBe(0);
  });
});

describe('scs diary: every class of bad input gives a clear message and stores nothing', () => {
  const bad: [string, string[], RegExp][] = [
    ['unknown subcommand', ['frobnicate'], /unknown diary subcommand 'frobnicate'/],
    ['unknown flag', ['evaluate', '--file', 'x.csv', '--colour'], /Unknown option '--colour'/],
    ['flag of another subcommand', ['show', '--nrs', '3'], /does not take --nrs/],
    ['neither --patient nor --file', ['evaluate'], /exactly one of --patient ID .* or --file/],
    ['both --patient and --file', ['evaluate', '--patient', 'P', '--file', 'x.csv'], /exactly one of/],
    [
      'percent not a number',
      ['evaluate', '--file', 'x.csv', '--percent', 'thirty'],
      /--percent 'thirty' is not a number/,
    ],
    ['percent zero', ['evaluate', '--file', 'x.csv', '--percent', '0'], /--percent '0'/],
    ['percent over 100', ['evaluate', '--file', 'x.csv', '--percent', '150'], /--percent '150'/],
    ['baseline out of range', ['evaluate', '--file', 'x.csv', '--baseline', '11'], /--baseline '11'/],
    ['baseline negative', ['evaluate', '--file', 'x.csv', '--baseline', '-1'], /--baseline/],
    ['max gap zero', ['evaluate', '--file', 'x.csv', '--max-gap', '0'], /--max-gap '0'/],
    ['sustain hours NaN', ['evaluate', '--file', 'x.csv', '--sustain-hours', 'NaN'], /--sustain-hours 'NaN'/],
    [
      'pdi improvement exponent',
      ['evaluate', '--file', 'x.csv', '--pdi-min-improvement', '1e3'],
      /--pdi-min-improvement '1e3'/,
    ],
    [
      'NRS out of range',
      ['add', '--patient', 'P', '--phase', 'trial', '--nrs', '11'],
      /--nrs: NRS 11 is out of range 0–10/,
    ],
    ['NRS not a number', ['add', '--patient', 'P', '--phase', 'trial', '--nrs', 'high'], /--nrs: NRS 'high'/],
    [
      'no measure',
      ['add', '--patient', 'P', '--phase', 'trial', '--note', 'hi'],
      /at least one of --nrs, --pdi, --activity/,
    ],
    [
      'time without offset',
      ['add', '--patient', 'P', '--phase', 'trial', '--nrs', '3', '--at', '2024-03-30T08:00'],
      /--at: .*no UTC offset/,
    ],
    [
      'bad phase',
      ['add', '--patient', 'P', '--phase', 'during', '--nrs', '3'],
      /--phase: 'during' is not one of baseline, trial/,
    ],
    [
      'control characters in a note',
      ['add', '--patient', 'P', '--phase', 'trial', '--nrs', '3', '--note', 'a\u001b[2Jb'],
      /control character/,
    ],
    [
      'PDI total and domains',
      ['add', '--patient', 'P', '--phase', 'trial', '--pdi', '3', '--pdi-domains', '1,1,1,1,1,1,1'],
      /not both/,
    ],
    ['name as patient id', ['add', '--patient', 'Jane Doe', '--phase', 'trial', '--nrs', '3'], /not a pseudonymous id/],
    ['missing patient id', ['add', '--phase', 'trial', '--nrs', '3'], /patient id is required/],
    ['import without a file', ['import', '--patient', 'P'], /give the diary CSV file/],
    ['import a missing file', ['import', '--patient', 'P', '/nonexistent/diary.csv'], /no such file/],
    ['import a bad row', ['import', '--patient', 'P', path.join(FIX, 'bad-rows.csv')], /line 3, column timestamp/],
    [
      'import an unknown column',
      ['import', '--patient', 'P', path.join(FIX, 'unknown-column.csv')],
      /line 1, column mood: unknown column 'mood'/,
    ],
    [
      'trial end before start',
      ['trial', '--patient', 'P', '--start', '2024-03-30T08:00Z', '--end', '2024-03-29T08:00Z'],
      /before trial start/,
    ],
    ['evaluate an unknown patient', ['evaluate', '--patient', 'P-404'], /no database|no diary for patient/],
    ['correct without reason', ['correct', '--patient', 'P', '--id', '1'], /no database|--reason/],
  ];

  it.each(bad)('%s', async (_label, args, pattern) => {
    const r = await run(
      [...args, ...dataDir()].filter(
        (a, i, all) =>
          !(args[0] === 'evaluate' && args.includes('--file') && (a === '--data-dir' || all[i - 1] === '--data-dir')),
      ),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(pattern);
    if (dbExists()) {
      const db = new Database(path.join(dir, 'data', 'scs.db'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM diary_entries').get()).toEqual({ n: 0 });
      db.close();
    }
  });

  it('rejects a file that is not UTF-8, an oversize file and a directory, by name', async () => {
    const latin1 = path.join(dir, 'latin1.csv');
    fs.writeFileSync(
      latin1,
      Buffer.concat([
        Buffer.from('timestamp,phase,nrs,note\n2024-03-30T08:00Z,trial,3,caf'),
        Buffer.from([0xe9, 0x0a]),
      ]),
    );
    expect((await run(['evaluate', '--file', latin1])).err).toMatch(/latin1\.csv:line 2: is not valid UTF-8/);
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41));
    expect((await run(['evaluate', '--file', big])).err).toMatch(/larger than the 10485760-byte limit/);
    expect((await run(['evaluate', '--file', dir])).err).toMatch(/not a regular file/);
  });

  it('refuses a foreign database file in --data-dir and leaves it byte-for-byte unchanged', async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    const file = path.join(dir, 'data', 'scs.db');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('not ours')");
    foreign.close();
    const before = fs.readFileSync(file);
    const r = await run(['add', ...dataDir(), '--patient', 'P', '--phase', 'trial', '--nrs', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/did not create/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
