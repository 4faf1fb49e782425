import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSessionAudit } from '../../src/audit/session-audit-file.js';
import { patientAddArgs } from './patient-add-args.js';

/**
 * Issue 13: `scs patient export --format html --audit-log FILE` shows a session log in a patient's report
 * only when the log is that patient's — it names the patient, and the generator it was bound to is one
 * stored for the patient (H13 bindings) — and otherwise exits 1 naming what differs. The logs come from
 * real sessions (`scs script --patient --audit`, the built-in simulator) and from the bedside UI's writer.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let dir: string;

async function scs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, CI: '', SCS_DATA_DIR: dir },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const addPatient = (id: string) => scs(patientAddArgs(id, { age: '50', location: 'T8' }));

/** A real session for `patient` on the built-in simulator: binds and stores its generator, writes the log. */
async function session(patient: string, log: string): Promise<void> {
  const script = path.join(dir, `${patient}.scs`);
  fs.writeFileSync(script, 'electrodes 1- 2+\nsearch start\namp up\nmark sensory\namp up\nmark discomfort\n');
  const r = await scs(['script', script, '--patient', patient, '--audit', log, '--dwell-ms', '0']);
  expect(r.code, r.stderr).toBe(0);
}

const exportHtml = (patient: string, log: string) =>
  scs(['patient', 'export', '--patient', patient, '--format', 'html', '--audit-log', log]);

/** The generator serial the simulator session bound patient P-A to (read from the stored binding's log). */
function serialIn(log: string): string {
  const link = fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; identity?: { serial: string } | null })
    .find((r) => r.kind === 'link' && r.identity);
  return link!.identity!.serial;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-audit-binding-'));
  for (const id of ['P-A', 'P-B']) expect((await addPatient(id)).code).toBe(0);
  await session('P-A', path.join(dir, 'a.jsonl'));
  await session('P-B', path.join(dir, 'b.jsonl'));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scs patient export --audit-log: only the patient’s own session', () => {
  it('accepts the log of the patient’s own session with their generator', async () => {
    const r = await exportHtml('P-A', path.join(dir, 'a.jsonl'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hash chain intact');
  });

  it('refuses another patient’s log, naming both patients', async () => {
    const r = await exportHtml('P-A', path.join(dir, 'b.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('it records a session of patient P-B, not of patient P-A');
  });

  it('refuses a log of this patient on another generator, naming both generators', async () => {
    const serial = serialIn(path.join(dir, 'a.jsonl'));
    const log = path.join(dir, 'other-generator.jsonl');
    // The bedside UI's writer: first record names the patient, the link record the generator met.
    const audit = openSessionAudit({ file: log, dataDir: dir, patient: 'P-A' });
    const identity = { serial: 'SN-OTHER-9', proto: 2, firmware: 'x', bootId: '0000beef' };
    audit.append({ kind: 'link', status: 'connected', identity, binding: { serial: 'SN-OTHER-9', proto: 2 } });
    audit.close();
    const r = await exportHtml('P-A', log);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`its generator SN-OTHER-9 is not one bound to patient P-A (bound: ${serial})`);
  });

  it('refuses a log that names no patient', async () => {
    const log = path.join(dir, 'anonymous.jsonl');
    const script = path.join(dir, 'anonymous.scs');
    fs.writeFileSync(script, 'electrodes 1- 2+\n');
    expect((await scs(['script', script, '--audit', log])).code).toBe(0);
    const r = await exportHtml('P-A', log);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it names no patient');
  });

  it('a tampered chain binds nothing: a log re-labelled to another patient is refused', async () => {
    const lines = fs.readFileSync(path.join(dir, 'b.jsonl'), 'utf8').split('\n');
    lines[0] = lines[0]!.replace('"patient":"P-B"', '"patient":"P-A"');
    const log = path.join(dir, 'relabelled.jsonl');
    fs.writeFileSync(log, lines.join('\n'));
    const r = await exportHtml('P-A', log);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it names no patient');
  });

  it('a chain broken after the binding is still shown as broken, as before', async () => {
    const lines = fs.readFileSync(path.join(dir, 'a.jsonl'), 'utf8').split('\n');
    const last = lines.length - 2; // the final line is empty
    lines[last] = lines[last]!.replace(/"ts":"\d{4}/, '"ts":"1999');
    const log = path.join(dir, 'tampered-late.jsonl');
    fs.writeFileSync(log, lines.join('\n'));
    const r = await exportHtml('P-A', log);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hash chain broken at line \d+/);
  });
});
