/**
 * Issue 14 through the real commands (in-process, as main.ts runs them): entries outside the trial
 * need --outside-trial, `evaluate` names them, `patient procedure --from-diary` ignores entries after
 * the procedure, and commands that only read never create the data directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScs } from '../reliability/run-scs.js';
import { patientAddArgs } from '../outcomes/patient-add-args.js';

let dir: string;
let data: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-trial-cli-'));
  data = path.join(dir, 'data');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const diary = (...args: string[]) => runScs(['diary', ...args, '--data-dir', data]);
const HEADER = 'timestamp,phase,nrs,pdi,activity,note\n';

async function patientWithTrial(): Promise<void> {
  expect(
    (await diary('trial', '--patient', 'P-101', '--start', '2024-03-29T08:00+01:00', '--end', '2024-04-05T08:00+02:00'))
      .code,
  ).toBe(0);
}

/** A trial-phase entry dated after P-101's trial end (patientWithTrial). */
const AFTER_END = ['add', '--patient', 'P-101', '--phase', 'trial', '--nrs', '6', '--at', '2026-12-01T10:00+01:00'];

describe('entering an entry outside the trial', () => {
  it('diary add refuses it (exit 1, nothing stored) and stores it with --outside-trial, with a warning', async () => {
    await patientWithTrial();
    const refused = await diary(...AFTER_END);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/trial-phase entry after the trial end .*--outside-trial/);
    expect(JSON.parse((await diary('show', '--patient', 'P-101', '--json')).out).entries).toEqual([]);
    const stored = await diary(...AFTER_END, '--outside-trial', '--json');
    expect(stored.code).toBe(0);
    expect(stored.err).toMatch(
      /warning: entry \d+ is a trial-phase entry after the trial end .*takes no part in the verdict/,
    );
    const id = JSON.parse(stored.out).id as number;
    const inside = await diary('add', '--patient', 'P-101', '--nrs', '4', '--at', '2024-03-30T08:00+01:00');
    expect([inside.code, inside.err]).toEqual([0, '']);
    const evaluation = JSON.parse((await diary('evaluate', '--patient', 'P-101', '--json')).out);
    expect(evaluation.outsideTrial).toEqual([
      { id, at: '2026-12-01T10:00+01:00', phase: 'trial', why: 'after-trial-end' },
    ]);
    expect(evaluation.trialNrs.entries).toBe(1);
    expect(evaluation.reasons.join('\n')).toContain(`#${id} 2026-12-01T10:00+01:00`);
  });

  it('diary add: a baseline-phase entry after the trial start needs --outside-trial too', async () => {
    await patientWithTrial();
    const r = await diary(
      'add',
      '--patient',
      'P-101',
      '--phase',
      'baseline',
      '--nrs',
      '7',
      '--at',
      '2024-03-30T08:00+01:00',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/baseline-phase entry at or after the trial start/);
  });

  it('diary import refuses the whole file, listing the rows by line, unless --outside-trial', async () => {
    await patientWithTrial();
    const file = path.join(dir, 'd.csv');
    fs.writeFileSync(
      file,
      `${HEADER}2024-03-30T08:00+01:00,trial,4,,,\n2026-12-01T10:00+01:00,trial,6,,,\n2024-03-31T08:00+02:00,baseline,7,,,\n`,
    );
    const refused = await diary('import', '--patient', 'P-101', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/2 row\(s\) lie outside the trial.*nothing was imported/);
    expect(refused.err).toMatch(
      /line 3, column timestamp: 2026-12-01T10:00\+01:00 is a trial-phase entry after the trial end/,
    );
    expect(refused.err).toMatch(/line 4, column timestamp: .*baseline-phase entry at or after the trial start/);
    expect(JSON.parse((await diary('show', '--patient', 'P-101', '--json')).out).entries).toEqual([]);
    const stored = await diary('import', '--patient', 'P-101', file, '--outside-trial');
    expect(stored.code).toBe(0);
    expect(stored.out).toMatch(/imported 3 entries/);
    expect(stored.err).toMatch(/warning: 2 imported row\(s\) lie outside the trial/);
  });

  it('diary correct --at that moves an entry outside the trial is refused unless --outside-trial', async () => {
    await patientWithTrial();
    const added = await diary('add', '--patient', 'P-101', '--nrs', '4', '--at', '2024-03-30T08:00+01:00', '--json');
    const id = String(JSON.parse(added.out).id);
    const move = ['correct', '--patient', 'P-101', '--id', id, '--at', '2024-04-06T08:00+02:00', '--reason', 'typo'];
    const refused = await diary(...move);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/trial-phase entry after the trial end .*--outside-trial/);
    const history = JSON.parse((await diary('show', '--patient', 'P-101', '--history', '--json')).out).entries;
    expect(history.map((e: { id: number }) => e.id)).toEqual([Number(id)]);
    // Moved before the start while keeping the trial phase: the same rule.
    const early = await diary(...move.slice(0, 6), '2024-03-28T08:00+01:00', '--reason', 'typo');
    expect([early.code, early.err]).toEqual([1, expect.stringMatching(/trial-phase entry before the trial start/)]);
    const stored = await diary(...move, '--outside-trial', '--json');
    expect(stored.code).toBe(0);
    expect(stored.err).toMatch(
      /warning: entry \d+ is a trial-phase entry after the trial end .*no part in the verdict/,
    );
    const newId = JSON.parse(stored.out).id as number;
    const evaluation = JSON.parse((await diary('evaluate', '--patient', 'P-101', '--json')).out);
    expect(evaluation.outsideTrial).toEqual([
      { id: newId, at: '2024-04-06T08:00+02:00', phase: 'trial', why: 'after-trial-end' },
    ]);
    // Correcting the score of an entry already outside keeps it outside: stored, with the warning.
    const again = await diary(
      'correct',
      '--patient',
      'P-101',
      '--id',
      String(newId),
      '--nrs',
      '5',
      '--reason',
      'scale',
    );
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/warning: entry \d+ is a trial-phase entry after the trial end/);
    // A correction inside the trial needs no flag and warns about nothing.
    const inside = await diary('add', '--patient', 'P-101', '--nrs', '6', '--at', '2024-03-31T08:00+02:00', '--json');
    const fix = ['--id', String(JSON.parse(inside.out).id), '--at', '2024-03-31T09:00+02:00', '--reason', 'r'];
    expect(await diary('correct', '--patient', 'P-101', ...fix)).toMatchObject({ code: 0, err: '' });
  });

  it('diary trial warns when new dates leave stored entries outside', async () => {
    expect(
      (await diary('add', '--patient', 'P-7', '--phase', 'trial', '--nrs', '4', '--at', '2026-12-01T10:00+01:00')).code,
    ).toBe(0);
    const r = await diary(
      'trial',
      '--patient',
      'P-7',
      '--start',
      '2024-03-29T08:00+01:00',
      '--end',
      '2024-04-05T08:00+02:00',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: 1 entry lies outside this trial/);
  });
});

describe('patient procedure --from-diary', () => {
  it('does not use diary entries dated after the procedure, and says which it left out', async () => {
    await runScs([...patientAddArgs('P-5'), '--data-dir', data]);
    expect((await diary('trial', '--patient', 'P-5', '--start', '2024-03-29T08:00+01:00')).code).toBe(0);
    for (const at of ['2024-03-20T08:00+01:00', '2024-03-21T08:00+01:00'])
      await diary('add', '--patient', 'P-5', '--phase', 'baseline', '--nrs', '8', '--at', at);
    for (let day = 29; day <= 31; day++)
      await diary('add', '--patient', 'P-5', '--nrs', '3', '--at', `2024-03-${day}T09:00+01:00`);
    await diary('add', '--patient', 'P-5', '--activity', 'improved', '--at', '2024-03-31T10:00+01:00');
    // After the procedure day: a bad week that must not change the recorded verdict.
    for (let day = 2; day <= 6; day++)
      await diary('add', '--patient', 'P-5', '--nrs', '9', '--at', `2024-04-0${day}T09:00+02:00`);
    const r = await runScs([
      'patient',
      'procedure',
      '--patient',
      'P-5',
      '--kind',
      'scs-trial',
      '--date',
      '2024-04-01',
      '--from-diary',
      '--json',
      '--data-dir',
      data,
    ]);
    expect(r.code).toBe(0);
    const q = JSON.parse(r.out);
    expect(q.verdict).toBe('pass');
    expect(q.reasons.join('\n')).toMatch(
      /5 diary entries are dated after the procedure \(2024-04-01\) and took no part in this verdict: #\d+ 2024-04-02T09:00\+02:00/,
    );
    expect(q.reasons.join('\n')).toMatch(/3 of 3 trial NRS entries respond/);
  });
});

describe('commands that only read never create the data directory or a database', () => {
  const readers: [string, string[]][] = [
    ['diary show', ['diary', 'show']],
    ['diary show --patient', ['diary', 'show', '--patient', 'P-1']],
    ['diary export', ['diary', 'export', '--patient', 'P-1']],
    ['diary evaluate', ['diary', 'evaluate', '--patient', 'P-1']],
    ['diary correct', ['diary', 'correct', '--patient', 'P-1', '--id', '1', '--reason', 'x', '--void']],
    ['patient show', ['patient', 'show', '--patient', 'P-1']],
    ['patient list', ['patient', 'list']],
    ['patient export', ['patient', 'export', '--patient', 'P-1', '--format', 'fhir']],
    ['followup list', ['followup', 'list', '--patient', 'P-1']],
  ];
  it.each(readers)('%s with --data-dir says there is no database and creates nothing', async (_name, args) => {
    const r = await runScs([...args, '--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no database at .*nothing has been stored/);
    expect(fs.existsSync(data)).toBe(false);
  });

  it('diary show without --data-dir does not create ~/.local/share/scs-companion', async () => {
    const r = await runScs(['diary', 'show'], { env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no database/);
    expect(fs.existsSync(path.join(dir, '.local'))).toBe(false);
  });
});
