import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/audit-chain.js';
import { parseScript } from '../../src/session/script-parser.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

async function scs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, CI: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-script-'));
  const p = path.join(dir, 'session.scs');
  fs.writeFileSync(p, text);
  return p;
}

describe('script parser', () => {
  it('parses every command, skipping comments and blank lines', () => {
    const r = parseScript(
      '# header\n\nelectrodes 1- 2+\nposture walking # note\nrate 50\npw 300\nsearch start\namp up\namp down\namp set 1.25\nmark sensory\nmark discomfort\ncommit\noutput on\noutput off\npatient-mode on\npatient-mode off\nstop\nwait 10\nimpedance\nrebind\n',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.steps.map((s) => s.action.type)).toEqual([
      'ELECTRODES',
      'POSTURE',
      'RATE',
      'PULSE_WIDTH',
      'SEARCH_START',
      'AMPLITUDE_UP',
      'AMPLITUDE_DOWN',
      'AMPLITUDE_SET',
      'MARK_SENSORY',
      'MARK_DISCOMFORT',
      'COMMIT',
      'OUTPUT_ON',
      'OUTPUT_OFF',
      'PATIENT_MODE',
      'PATIENT_MODE',
      'STOP',
      'WAIT',
      'IMPEDANCE_CHECK',
      'REBIND',
    ]);
    expect(r.steps[0]).toEqual({
      line: 3,
      command: 'electrodes 1- 2+',
      action: { type: 'ELECTRODES', spec: ['1-', '2+'] },
    });
    expect(r.steps[1]).toMatchObject({ line: 4, command: 'posture walking', action: { posture: 'walking' } });
    expect(r.steps[7]!.action).toEqual({ type: 'AMPLITUDE_SET', ma: 1.25 });
  });
  it('reports every bad line with line and column, and runs nothing', () => {
    const r = parseScript('amp up\nfoo bar\namp set -1\nrate fast\nposture lying\nelectrodes 1x\nwait\ncommit now\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 1],
      [3, 9],
      [4, 6],
      [5, 9],
      [6, 12],
      [7, 6],
      [8, 8],
    ]);
    expect(r.errors[0]!.message).toBe("unknown command 'foo'");
  });
});

describe('scs script', () => {
  // bb3 F-L11: errors say what was wrong and what to do, as one readable sentence each.
  it('a port that does not exist: what was wrong and what to do, exit 1, no doubled full stop', async () => {
    const r = await scs(['script', file('wait 10\n'), '--port', path.join(os.tmpdir(), 'scs-no-such-port')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no such port.*scs ports.*Check --port.*nothing was run\./);
    expect(r.stderr).not.toMatch(/\.\./);
  });
  it('--dwell-ms -1: says the value starts with a dash and how to write one, exit 2', async () => {
    const r = await scs(['script', file('wait 10\n'), '--dwell-ms', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'--dwell-ms' needs a value, and the next argument starts with '-'.*--dwell-ms=VALUE/);
  });
  it('--json: one object per command line with the generator read back; refusals do not end the script; audit chain verifies', async () => {
    const audit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scs-audit-')), 'a.jsonl');
    const script = file(
      'electrodes 1- 2+\nrate 75 # too fast\nsearch start\namp up\namp set 3\namp up\nmark sensory\namp up\nmark discomfort\namp set 5\ncommit\nstop\n',
    );
    const r = await scs(['script', script, '--json', '--dwell-ms', '5', '--audit', audit]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['line', 'command', 'accepted', 'notices', 'generator']));
      expect(Object.keys(l.generator)).toEqual(
        expect.arrayContaining(['output', 'mode', 'rateHz', 'pulseWidthUs', 'amplitudeMa', 'contacts']),
      );
    }
    expect(lines[1]).toMatchObject({
      command: 'rate 75',
      accepted: true,
      notices: [{ kind: 'clamp', field: 'rate', requested: 75, applied: 60, reason: expect.any(String) }],
      generator: { rateHz: 60 },
    });
    expect(lines[2].generator).toMatchObject({ output: 'on', mode: 'test', amplitudeMa: 0, contacts: '-+000000' });
    expect(lines[4]).toMatchObject({
      command: 'amp set 3',
      accepted: false,
      notices: [{ kind: 'reject', field: 'amplitude' }],
    });
    expect(lines[5].generator.amplitudeMa).toBe(0.1);
    expect(lines[8].generator.amplitudeMa).toBe(0.1);
    expect(lines[9]).toMatchObject({
      accepted: true,
      notices: [{ kind: 'clamp', requested: 5, applied: 0.15 }],
      generator: { amplitudeMa: 0.15 },
    });
    expect(lines[10].generator).toMatchObject({ output: 'on', mode: 'therapy' });
    expect(lines[11].generator).toMatchObject({ output: 'off' });
    expect(fs.statSync(audit).mode & 0o777).toBe(0o600);
    expect(verifyChain(fs.readFileSync(audit, 'utf8')).ok).toBe(true);
    const v = await scs(['audit', 'verify', audit]);
    expect(v).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ records/) });
    const records = fs.readFileSync(audit, 'utf8').trimEnd().split('\n');
    records.splice(3, 1);
    fs.writeFileSync(audit, records.join('\n') + '\n');
    const broken = await scs(['audit', 'verify', audit, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, line: 4, problem: 'removed' });
  });
  it('a parse error exits 2 naming the line, before anything runs', async () => {
    const r = await scs(['script', file('electrodes 1- 2+\n\namp sideways\n'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/session\.scs:3:5: 'sideways' is not a valid amp command/);
  });
  it('an empty script (or one of comments and blank lines) exits 2 naming the file, and runs nothing', async () => {
    for (const text of ['', '# only a comment\n\n   \n']) {
      const f = file(text);
      const r = await scs(['script', f, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${f}: the script has no commands`);
    }
  });
  it('a missing file is a clear error', async () => {
    const r = await scs(['script', '/nonexistent/x.scs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read script \/nonexistent\/x\.scs: ENOENT/);
  });
});
