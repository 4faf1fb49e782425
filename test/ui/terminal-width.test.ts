import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxPane } from './tmux.js';

/**
 * Issue 13: the bedside screen laid out to the terminal's width, in a real terminal (tmux) at 80×24,
 * 100×30 and 160×48, through a session on the built-in simulator: electrodes, a threshold search,
 * the patient window and patient mode, the connect screen, help and the diary. On every screen:
 * no row is wider than the terminal (the terminal would cut a word in two), no value parts from its
 * unit and no key from its action across rows, the tab bar is still the top row (nothing scrolled
 * away) and the key lines are whole; on 160 columns the screen uses the width.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

const panes: TmuxPane[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of panes.splice(0)) await p.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Rows a word or value continues on: `0.40` | `mA`, a lone `(m)`, `B re-bind` torn from its legend. */
function brokenAcrossRows(rows: readonly string[]): string[] {
  const found: string[] = [];
  rows.forEach((row, i) => {
    const next = rows[i + 1] ?? '';
    if (/\d$/.test(row) && /^\s*(mA|Hz|µs|%|s\b|µC)/.test(next)) found.push(`${row} ⏎ ${next}`);
    if (/^\s*(\([A-Za-z?]\)|mA|Hz|µs|B re-bind|re-bind|0 mA)\s*$/.test(row)) found.push(`orphan: ${row}`);
  });
  return found;
}

async function expectLaidOut(pane: TmuxPane, where: string, wholeLines: readonly string[]): Promise<string[]> {
  // Rows the terminal itself wrapped (wider than the pane, cut mid-word) come back joined with -J,
  // so each of them shows as a row wider than the pane.
  const rows = await pane.joined();
  const shown = `${where} at ${pane.cols}×${pane.rows}:\n${rows.join('\n')}`;
  expect(Math.max(...rows.map((r) => r.length)), shown).toBeLessThanOrEqual(pane.cols);
  expect(brokenAcrossRows(rows), shown).toEqual([]);
  expect(rows[0], shown).toContain('SPACE = STOP');
  for (const line of wholeLines)
    expect(
      rows.some((r) => r.includes(line)),
      `${line}\n${shown}`,
    ).toBe(true);
  return rows;
}

/** ↑ until the amplitude reads `amplitude` (a step inside the dwell is refused: try again after it). */
async function stepUpTo(pane: TmuxPane, amplitude: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await pane.keys(['Up']);
    const reached = await pane
      .waitFor((rows) => rows.join('\n').includes(amplitude), amplitude, 1500)
      .then(
        () => true,
        () => false,
      );
    if (reached) return;
  }
  throw new Error(`amplitude never reached ${amplitude}`);
}

async function bedsideSession(cols: number, rows: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-width-'));
  dirs.push(dataDir);
  const pane = new TmuxPane(cols, rows);
  panes.push(pane);
  await pane.start([process.execPath, '--import', 'tsx', MAIN, '--data-dir', dataDir], ROOT);
  await pane.waitText('Link: connected (simulator)');

  // Program: contact 1 anode, contact 2 cathode, applied.
  await pane.keys(['2']);
  await pane.waitText('Program   phase');
  await pane.type('+');
  await pane.keys(['Right']);
  await pane.type('-');
  await pane.keys(['Enter']);
  await pane.waitText('Lead    [ 1+] [ 2-]');
  await expectLaidOut(pane, 'program', ['Rate 50 Hz (r/R)', 'Lead    [ 1+] [ 2-] [ 3.]']);

  // Threshold search: begin, one step, sensory; one step, discomfort.
  await pane.keys(['3']);
  await pane.type('b');
  await pane.waitText('SEARCHING');
  for (const [mark, amplitude] of [
    ['s', 'now 0.05 mA'],
    ['d', 'now 0.10 mA'],
  ] as const) {
    await stepUpTo(pane, amplitude);
    await pane.type(mark);
  }
  await pane.waitText(/discomfort 0\.\d\d mA/);
  await expectLaidOut(pane, 'search', ['Threshold search', 'Dwell', 'Amplitude 0 |']);

  // Therapy: a patient window and patient mode (the line that pushed "(m)" onto its own row).
  await pane.keys(['4']);
  await pane.waitText('Therapy   phase');
  await pane.type('w');
  await pane.type('0.05-0.1');
  await pane.keys(['Enter']);
  await pane.waitText('(set) (w)');
  await pane.type('m');
  await pane.type('1234');
  await pane.keys(['Enter']);
  await pane.waitText('PATIENT MODE');
  await expectLaidOut(pane, 'therapy', [
    'Patient mode ON (amplitude only) (m)',
    'Patient window 0.05 mA to 0.10 mA (set) (w)',
    'Contacts [ 1+] [ 2-]',
  ]);

  // Connect: the key legend, whole.
  await pane.keys(['1']);
  await pane.waitText('Serial ports:');
  await expectLaidOut(pane, 'connect', ['c reconnect  B re-bind']);

  // Help, then the diary without a patient.
  await pane.type('?');
  await pane.waitText('Keys   (');
  await expectLaidOut(pane, 'help', ['STOP: all output off (every screen, dialog and field)']);
  // ? closes it too (Escape followed at once by 5 would read as Alt+5).
  await pane.type('?');
  await pane.waitFor((rows) => !rows.join('\n').includes('Keys   ('), 'help to close');
  await pane.keys(['5']);
  await pane.waitText('No diary open');
  await pane.type('n');
  await pane.waitText('» No diary open');
  const diary = await expectLaidOut(pane, 'diary', []);

  if (cols >= 160) {
    // A wide terminal is used: the rule spans it, the bar is wider, link and output share the top line.
    expect(diary.some((r) => r === '─'.repeat(cols))).toBe(true);
    await pane.keys(['4']);
    const therapy = await pane.waitText('Therapy   phase');
    expect(therapy.find((r) => r.startsWith('Amplitude 0 |'))!.length).toBeGreaterThan(120);
    expect(therapy[1]).toMatch(/OUTPUT ON .*Link: connected/);
    expect(therapy.some((r) => r.includes('Patient window') && r.includes('Patient mode ON'))).toBe(true);
  }

  // Quit: STOP, then the program ends.
  await pane.type('q');
  await pane.waitText('Quit the companion?');
  await pane.type('s');
}

describe('the bedside screen laid out to the terminal (tmux)', () => {
  for (const [cols, rows] of [
    [80, 24],
    [100, 30],
    [160, 48],
  ] as const) {
    it(`${cols}×${rows}: no row too wide, nothing torn across rows, key lines whole`, async () => {
      await bedsideSession(cols, rows);
    }, 120_000);
  }
});
