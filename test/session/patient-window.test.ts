import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/session/script-parser.js';
import { gen, harness, measured } from './harness.js';

/** The clinician's patient window: inside the measured window, on the grid; patient mode stays in it. */

describe('PATIENT_WINDOW', () => {
  it('needs a measured window', async () => {
    const h = await harness();
    const r = await h.do({ type: 'PATIENT_WINDOW', minMa: 1, maxMa: 2 });
    expect(r).toMatchObject({
      accepted: false,
      notices: [{ kind: 'reject', field: 'patientWindow', reason: expect.stringMatching(/no measured window/) }],
    });
    expect(h.c.view().patientWindow).toBeNull();
  });

  it('is set inside the measured window without sending anything', async () => {
    const h = await harness();
    await measured(h, 20, 20); // 1.0 – 2.0 mA
    expect(h.c.view().patientWindow).toEqual({ lowUa: 1000, highUa: 2000, set: false });
    const sent = h.link.sent.length;
    const r = await h.do({ type: 'PATIENT_WINDOW', minMa: 1.2, maxMa: 1.8 });
    expect(r.accepted).toBe(true);
    expect(r.notices.filter((n) => n.kind === 'clamp')).toEqual([]);
    expect(h.c.view().patientWindow).toEqual({ lowUa: 1200, highUa: 1800, set: true });
    expect(h.link.sent.slice(sent).filter((s) => s.type === 'SET' || s.type === 'OUTPUT')).toEqual([]);
  });

  it('is clamped into the measured window and onto the grid (inwards), with notices', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    const wide = await h.do({ type: 'PATIENT_WINDOW', minMa: 0.5, maxMa: 9 });
    expect(wide.notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'clamp',
          requested: 0.5,
          applied: 1,
          reason: expect.stringMatching(/^patient window min: measured window min 1 mA/),
        }),
        expect.objectContaining({
          kind: 'clamp',
          requested: 9,
          applied: 2,
          reason: expect.stringMatching(/^patient window max: measured window max/),
        }),
      ]),
    );
    expect(h.c.view().patientWindow).toEqual({ lowUa: 1000, highUa: 2000, set: true });
    await h.do({ type: 'PATIENT_WINDOW', minMa: 1.23, maxMa: 1.77 });
    expect(h.c.view().patientWindow).toEqual({ lowUa: 1250, highUa: 1750, set: true });
    expect((await h.do({ type: 'PATIENT_WINDOW', minMa: 1.8, maxMa: 1.2 })).accepted).toBe(false);
  });

  it('limits patient-mode amplitude; the clinician still has the whole measured window', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'PATIENT_WINDOW', minMa: 1.2, maxMa: 1.8 });
    await h.do({ type: 'AMPLITUDE_SET', ma: 2 });
    expect(gen(h).amplitudeUa).toBe(2000);
    await h.do({ type: 'AMPLITUDE_SET', ma: 1.5 });
    await h.do({ type: 'COMMIT' });
    await h.do({ type: 'PATIENT_MODE', on: true });
    const hi = await h.do({ type: 'AMPLITUDE_SET', ma: 5 });
    expect(hi.notices.filter((n) => n.kind !== 'info')).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        requested: 5,
        applied: 1.8,
        reason: expect.stringMatching(/patient window max 1\.8 mA/),
      }),
    ]);
    expect(gen(h).amplitudeUa).toBe(1800);
    await h.do({ type: 'AMPLITUDE_UP' });
    expect(gen(h).amplitudeUa).toBe(1800);
    const lo = await h.do({ type: 'AMPLITUDE_SET', ma: 0.1 });
    expect(lo.notices).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        applied: 1.2,
        reason: expect.stringMatching(/patient window min 1\.2 mA/),
      }),
    ]);
    expect(gen(h).amplitudeUa).toBe(1200);
    // The patient cannot widen it.
    expect((await h.do({ type: 'PATIENT_WINDOW', minMa: 1, maxMa: 2 })).accepted).toBe(false);
    expect(h.c.view().patientWindow).toEqual({ lowUa: 1200, highUa: 1800, set: true });
  });

  it('is discarded with the thresholds on an electrode change', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'PATIENT_WINDOW', minMa: 1.2, maxMa: 1.8 });
    await h.do({ type: 'ELECTRODES', spec: ['3-', '4+'] });
    expect(h.c.view().patientWindow).toBeNull();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await measured(h, 20, 20);
    expect(h.c.view().patientWindow).toMatchObject({ set: false });
  });
});

describe('patient-window script command', () => {
  it('parses MIN MAX in mA and reports what is missing or extra', () => {
    const r = parseScript('patient-window 1.2 1.8\n');
    expect(r).toEqual({
      ok: true,
      steps: [
        { line: 1, command: 'patient-window 1.2 1.8', action: { type: 'PATIENT_WINDOW', minMa: 1.2, maxMa: 1.8 } },
      ],
    });
    const bad = parseScript('patient-window 1.2\npatient-window 1 2 3\npatient-window x 2\n');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => [e.line, e.column])).toEqual([
      [1, 20],
      [2, 20],
      [3, 16],
    ]);
  });

  it('runs through scs script --json and is listed by --help', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pw-'));
    const script = path.join(dir, 's.scs');
    fs.writeFileSync(
      script,
      'electrodes 1- 2+\nsearch start\namp up\nmark sensory\namp up\namp up\nmark discomfort\ncommit\npatient-window 0 9\npatient-mode on\namp set 5\n',
    );
    const run = promisify(execFile);
    const env = { ...process.env, CI: '' };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'script', script, '--json', '--dwell-ms', '0'],
      { cwd: root, env },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            command: string;
            accepted: boolean;
            notices: Array<{ kind: string; applied: unknown }>;
            generator: { amplitudeMa: number };
          },
      );
    const pw = lines.find((l) => l.command === 'patient-window 0 9')!;
    expect(pw.accepted).toBe(true);
    expect(pw.notices.filter((n) => n.kind === 'clamp').map((n) => n.applied)).toEqual([0.05, 0.15]);
    expect(lines.at(-1)!.generator.amplitudeMa).toBe(0.15);
    const help = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'script', '--help'], {
      cwd: root,
      env,
    });
    expect(help.stdout).toContain('patient-window MIN MAX');
  });
});
