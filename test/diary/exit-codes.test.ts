/**
 * The exit-code rule (README "Trial diary"), for every diary (the web diary's invite and serve too),
 * patient and follow-up subcommand:
 * 1 = bad input (a value given that is wrong: type, range, format; a refused entry, file or state);
 * 2 = a usage mistake (unknown subcommand or option, a required option missing, options that exclude
 * each other). `diary add --nrs 11` and NRS 11 in an imported CSV are both bad input: exit 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScs } from '../reliability/run-scs.js';
import { patientAddArgs } from '../outcomes/patient-add-args.js';

let dir: string;
let data: string;
let csv11: string;
const P = ['--patient', 'P-1'];
const T = ['--phase', 'trial', '--at', '2024-03-01T09:00Z'];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-exit-'));
  data = path.join(dir, 'data');
  csv11 = path.join(dir, 'nrs11.csv');
  fs.writeFileSync(csv11, 'timestamp,phase,nrs,pdi,activity,note\n2024-03-02T08:00Z,trial,11,,,\n');
  await runScs(['diary', 'add', ...P, ...T, '--nrs', '4', '--data-dir', data]);
  await runScs([...patientAddArgs('P-1'), '--data-dir', data]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const BAD_INPUT: [string, string[]][] = [
  ['diary add --nrs 11', ['diary', 'add', ...P, ...T, '--nrs', '11']],
  ['diary add --nrs five', ['diary', 'add', ...P, ...T, '--nrs', 'five']],
  ['diary add --pdi 71', ['diary', 'add', ...P, ...T, '--pdi', '71']],
  ['diary add --at yesterday', ['diary', 'add', ...P, '--phase', 'trial', '--nrs', '4', '--at', 'yesterday']],
  ['diary add --phase during', ['diary', 'add', ...P, '--phase', 'during', '--nrs', '4']],
  ['diary add --patient "Jane Doe"', ['diary', 'add', '--patient', 'Jane Doe', ...T, '--nrs', '4']],
  ['diary import: NRS 11 in the CSV', ['diary', 'import', ...P, 'CSV11']],
  ['diary export: unknown patient', ['diary', 'export', '--patient', 'P-404']],
  ['diary show: unknown patient', ['diary', 'show', '--patient', 'P-404']],
  ['diary correct --id x', ['diary', 'correct', ...P, '--id', 'x', '--reason', 'r', '--void']],
  ['diary correct --nrs 11', ['diary', 'correct', ...P, '--id', '1', '--reason', 'r', '--nrs', '11']],
  ['diary trial --start tomorrow', ['diary', 'trial', ...P, '--start', 'tomorrow']],
  ['diary evaluate --percent 150', ['diary', 'evaluate', ...P, '--percent', '150']],
  ['diary evaluate --baseline 11', ['diary', 'evaluate', ...P, '--baseline', '11']],
  ['diary invite --lang fr', ['diary', 'invite', ...P, '--lang', 'fr']],
  ['diary invite --patient "Jane Doe"', ['diary', 'invite', '--patient', 'Jane Doe']],
  ['diary invite --expires tomorrow', ['diary', 'invite', ...P, '--expires', 'tomorrow']],
  ['diary invite --expires in the past', ['diary', 'invite', ...P, '--expires', '2020-01-01T00:00Z']],
  ['diary invite --url ftp://host', ['diary', 'invite', ...P, '--expires', '2099-01-01', '--url', 'ftp://host']],
  ['diary serve --port 99999', ['diary', 'serve', '--port', '99999']],
  ['diary serve --rate-per-session none', ['diary', 'serve', '--port', '0', '--rate-per-session', 'none']],
  ['patient add --age 200', patientAddArgs('P-2', { age: '200' })],
  ['patient add --sex Q', patientAddArgs('P-2', { sex: 'Q', age: '50' })],
  ['patient add --location Z9', patientAddArgs('P-2', { age: '50', location: 'Z9' })],
  ['patient update --hospital-days lots', ['patient', 'update', ...P, '--hospital-days', 'lots']],
  ['patient show --patient "Jane Doe"', ['patient', 'show', '--patient', 'Jane Doe']],
  ['patient procedure --kind heart', ['patient', 'procedure', ...P, '--kind', 'heart', '--date', '2024-04-05']],
  ['patient procedure --date 05/04/2024', ['patient', 'procedure', ...P, '--kind', 'drez', '--date', '05/04/2024']],
  [
    'patient complication --severity fatal',
    ['patient', 'complication', ...P, '--category', 'hardware', '--severity', 'fatal', '--description', 'x'],
  ],
  ['patient export --format pdf', ['patient', 'export', ...P, '--format', 'pdf']],
  ['followup add --nrs 11', ['followup', 'add', ...P, '--visit', '3m', '--nrs', '11']],
  ['followup add --visit 5m', ['followup', 'add', ...P, '--visit', '5m', '--nrs', '4']],
];

const USAGE: [string, string[]][] = [
  ['diary: unknown subcommand', ['diary', 'frobnicate']],
  ['diary add: unknown option', ['diary', 'add', ...P, ...T, '--nrss', '4']],
  ['diary add: no --patient', ['diary', 'add', ...T, '--nrs', '4']],
  ['diary add: no measure', ['diary', 'add', ...P, ...T]],
  ['diary add: --pdi and --pdi-domains', ['diary', 'add', ...P, ...T, '--pdi', '3', '--pdi-domains', '1,1,1,1,1,1,1']],
  ['diary import: no file', ['diary', 'import', ...P]],
  ['diary show: option of another subcommand', ['diary', 'show', '--nrs', '3']],
  ['diary correct: no --id', ['diary', 'correct', ...P, '--reason', 'r', '--void']],
  ['diary correct: no --reason', ['diary', 'correct', ...P, '--id', '1', '--void']],
  ['diary trial: no dates', ['diary', 'trial', ...P]],
  ['diary evaluate: --patient and --file', ['diary', 'evaluate', ...P, '--file', 'x.csv']],
  ['diary invite: no --patient', ['diary', 'invite', '--lang', 'en']],
  ['diary invite: --revoke with --lang', ['diary', 'invite', ...P, '--revoke', '--lang', 'en']],
  ['diary invite: no --expires and no trial end to default to', ['diary', 'invite', ...P]],
  ['diary invite: unknown option', ['diary', 'invite', ...P, '--language', 'en']],
  ['diary serve: --tls-cert without --tls-key', ['diary', 'serve', '--tls-cert', 'x.pem']],
  ['diary serve: another host without TLS', ['diary', 'serve', '--host', '0.0.0.0', '--port', '0']],
  ['patient: unknown subcommand', ['patient', 'frobnicate']],
  ['patient add: missing fields', ['patient', 'add', '--patient', 'P-2', '--sex', 'F']],
  ['patient update: nothing to change', ['patient', 'update', ...P]],
  ['patient show: no --patient', ['patient', 'show']],
  ['patient procedure: no --kind', ['patient', 'procedure', ...P, '--date', '2024-04-05']],
  [
    'patient procedure: --verdict and --from-diary',
    ['patient', 'procedure', ...P, '--kind', 'scs-trial', '--date', '2024-04-05', '--verdict', 'pass', '--from-diary'],
  ],
  [
    'patient complication: no --description',
    ['patient', 'complication', ...P, '--category', 'hardware', '--severity', 'mild'],
  ],
  ['patient export: no --format', ['patient', 'export', ...P]],
  ['patient list: unknown option', ['patient', 'list', '--colour']],
  ['followup add: no --visit', ['followup', 'add', ...P, '--nrs', '4']],
  ['followup: unknown subcommand', ['followup', 'frobnicate']],
];

const withData = (args: string[]) => [
  ...args.map((a) => (a === 'CSV11' ? csv11 : a)),
  ...(args.length > 1 ? ['--data-dir', data] : []),
];

describe('exit code 1: a value given that is wrong is bad input', () => {
  it.each(BAD_INPUT)('%s', async (_name, args) => {
    const r = await runScs(withData(args));
    expect(r.err).toMatch(/^scs: /);
    expect(r.code).toBe(1);
  });
});

describe('exit code 2: a command line that cannot be read as asked is a usage mistake', () => {
  it.each(USAGE)('%s', async (_name, args) => {
    const r = await runScs(withData(args));
    expect(r.err).toMatch(/^scs: /);
    expect(r.code).toBe(2);
  });
});
