import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Issue 13: `search start` from tuning replaces the thresholds measured for this program and posture.
 * The clinician is told what is lost, on the line of the `search start` that loses it.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

interface Line {
  command?: string;
  accepted?: boolean;
  notices: Array<{ kind: string; field: string; requested: unknown; applied: unknown; reason: string }>;
  window: { lowMa: number; highMa: number } | null;
}

async function script(text: string): Promise<Line[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-discard-'));
  const file = path.join(dir, 'session.scs');
  fs.writeFileSync(file, text);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'script', file, '--json', '--dwell-ms', '0'],
    { cwd: root, env: { ...process.env, CI: '' } },
  );
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

const discards = (l: Line) => l.notices.filter((n) => /discards/.test(n.reason));
const SEARCH = 'electrodes 1- 2+\nsearch start\namp up\namp up\namp up\nmark sensory\n';

describe('search start discards the measured thresholds, and says so', () => {
  it('from tuning: a warning names the window in force before, on the search start line', async () => {
    const lines = await script(`${SEARCH}amp up\namp up\nmark discomfort\nsearch start\n`);
    const i = lines.findLastIndex((l) => l.command === 'search start');
    const before = lines[i - 1]!.window;
    expect(before).not.toBeNull();
    const shown = `${before!.lowMa}–${before!.highMa} mA`;
    expect(lines[i]!.accepted).toBe(true);
    expect(discards(lines[i]!)).toEqual([
      {
        kind: 'warn',
        field: 'threshold',
        requested: null,
        applied: null,
        reason: `starting a new threshold search discards the measured window ${shown}`,
      },
    ]);
    expect(lines[i]!.window).toBeNull();
  });

  it('a sensory threshold marked without a discomfort one is named too', async () => {
    const lines = await script(`${SEARCH}search start\n`);
    const sensory = lines.find((l) => l.command === 'mark sensory')!;
    expect(sensory.accepted).toBe(true);
    const marked = sensory.notices.find((n) => n.kind === 'info' && n.field === 'threshold')!;
    const restart = lines.findLast((l) => l.command === 'search start')!;
    expect(discards(restart).map((n) => n.reason)).toEqual([
      `starting a new threshold search discards the sensory threshold ${marked.applied} mA`,
    ]);
  });

  it('the first search, with nothing measured, discards nothing and says nothing about it', async () => {
    const lines = await script(SEARCH);
    for (const l of lines) expect(discards(l)).toEqual([]);
  });
});
