import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderApp, renderPlain } from './render.js';
import { FakeSession, connectedView } from './fake-session.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { TherapyScreen, CommitDialog } from '../../src/ui/screens/therapy-screen.js';
import { ProgramScreen } from '../../src/ui/screens/program-screen.js';
import { keptLine } from '../../src/ui/components/quit-dialog.js';
import { chartLines, type DiaryChartView } from '../../src/ui/diary-chart.js';
import { describeNotice } from '../../src/ui/session-view.js';
import { messageGoneStale, REFUSAL_SHOWN_MS } from '../../src/ui/stale-lines.js';
import { contactRows } from '../../src/ui/format.js';
import type { ScreenView } from '../../src/ui/screen-view.js';

/**
 * Issue 13, "words a clinician reads", on the screen: each item of the issue is one test here, with
 * the expected words taken from the issue (not from what the screen printed before).
 */

const frameOf = (tree: React.ReactElement) => renderPlain(tree).lastFrame() ?? '';

function onAt(amplitudeUa: number, patch: Partial<NonNullable<ScreenView['generator']>> = {}): ScreenView {
  const v = connectedView();
  v.generator = { ...v.generator!, output: 'on', mode: 'test', amplitudeUa, ...patch };
  return v;
}

describe('header: with output off the amplitude is programmed, not delivered', () => {
  it('reads "Output: off · programmed 0.55 mA" and never "Amp: 0.55 mA"', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'off', amplitudeUa: 550 };
    const f = frameOf(<StatusLine view={v} />);
    expect(f.split('\n')[0]).toContain('Output: off · programmed 0.55 mA');
    expect(f).not.toMatch(/Amp: 0\.55/);
  });

  it('the amplitude bar under output off says programmed too; with output on it says now', () => {
    const off = connectedView();
    off.generator = { ...off.generator!, amplitudeUa: 550 };
    expect(frameOf(<TherapyScreen view={off} />)).toContain('programmed 0.55 mA (output off)');
    expect(frameOf(<TherapyScreen view={off} />)).not.toContain('now 0.55 mA');
    expect(frameOf(<TherapyScreen view={onAt(550)} />)).toContain('now 0.55 mA');
  });
});

describe('stale lines go', () => {
  it('"» STOP sent" goes once output is back on', async () => {
    const session = new FakeSession(onAt(500));
    const app = await renderApp({ session });
    await app.press(KEY.space);
    expect(app.frame()).toContain('» STOP sent');
    session.setView({ generator: { ...onAt(500).generator!, output: 'off' } });
    await app.waitFor((f) => f.includes('Output: off'));
    expect(app.frame()).toContain('» STOP sent');
    session.setView({ generator: onAt(500).generator });
    await app.waitFor((f) => !f.includes('STOP sent'), 'the STOP line to go');
  });

  it('"» connecting to …" goes once connected', async () => {
    const session = new FakeSession({
      link: { status: 'disconnected', source: null, description: '' },
      generator: null,
    });
    const app = await renderApp({ session, initial: { screen: 'connect' } });
    await app.press('u');
    expect(app.frame()).toContain('» connecting to the built-in simulator');
    session.setView({ link: { status: 'connecting', source: 'simulator', description: 'simulator' } });
    await app.waitFor((f) => f.includes('Link: connecting'));
    expect(app.frame()).toContain('» connecting to the built-in simulator');
    session.setView({ link: { status: 'connected', source: 'simulator', description: 'simulator' } });
    await app.waitFor((f) => !f.includes('» connecting'), 'the connecting line to go');
  });

  it('a failed connection ends the "connecting" line too (the link line says why)', () => {
    const connecting = connectedView();
    connecting.link = { status: 'connecting', source: 'serial', description: '/dev/ttyUSB0' };
    const failed = { ...connecting, link: { ...connecting.link, status: 'disconnected' as const, reason: 'gone' } };
    expect(messageGoneStale('connecting to /dev/ttyUSB0', connecting, failed)).toBe(true);
    expect(messageGoneStale('connecting to /dev/ttyUSB0', connecting, connecting)).toBe(false);
    expect(messageGoneStale('baud 9600', connecting, failed)).toBe(false);
  });

  it('the last notice shows its age, and an old refusal no longer shows as if current', async () => {
    let now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const v = connectedView();
    v.lastNotice = {
      kind: 'reject',
      text: describeNotice({
        kind: 'reject',
        field: 'rate',
        requested: 70,
        applied: null,
        reason: 'patient mode allows amplitude changes only',
      }),
      at: new Date(now - 12_000).toISOString(),
    };
    const app = await renderApp({ session: new FakeSession(v), now: () => now });
    expect(app.frame()).toContain('Last notice (12 s ago): REJECT Rate: 70 Hz refused');
    now += REFUSAL_SHOWN_MS;
    await app.waitFor((f) => f.includes('Last notice: none recent'), 'the old refusal to fade');
    expect(app.frame()).not.toContain('REJECT');
    app.unmount();
  });
});

describe('one contact notation', () => {
  it('therapy screen, commit dialog and program screen draw contacts as the lead does', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, contacts: '-+000000' };
    const cells = '[ 1-] [ 2+] [ 3.] [ 4.] [ 5.] [ 6.] [ 7.] [ 8.]';
    expect(contactRows('-+000000')).toEqual([cells]);
    for (const f of [
      frameOf(<TherapyScreen view={v} />),
      frameOf(<CommitDialog view={v} />),
      frameOf(<ProgramScreen view={v} draft={null} cursor={0} />),
    ]) {
      expect(f).toContain(cells);
      expect(f).not.toContain('-+000000');
    }
  });
});

describe('k on the built-in simulator says what really happens', () => {
  async function quitDialog(source: 'simulator' | 'serial'): Promise<string> {
    const v = onAt(500, { mode: 'therapy', committed: true });
    v.link = { status: 'connected', source, description: source === 'serial' ? '/dev/ttyUSB0' : 'simulator' };
    const app = await renderApp({ session: new FakeSession(v) });
    await app.press('q');
    return app.frame();
  }

  it('simulator: therapy ends when scs exits; never "left running"', async () => {
    const f = await quitDialog('simulator');
    expect(f).toContain('built-in simulator: therapy ends when scs exits');
    expect(f).not.toContain('leave the committed therapy running');
    expect(keptLine('simulator')).not.toMatch(/running on the generator/);
  });

  it('a real port keeps the real-port wording', async () => {
    expect(await quitDialog('serial')).toContain('leave the committed therapy running');
    expect(keptLine('serial')).toBe('Left the committed therapy program running on the generator.');
  });
});

describe('search start over a measured window asks first', () => {
  function tuned(): ScreenView {
    const v = onAt(600);
    v.phase = 'tuning';
    v.thresholds = { sensoryUa: 400, discomfortUa: 900, estimated: false, posture: 'supine', pulseWidthUs: 300 };
    v.window = { lowUa: 400, highUa: 900 };
    return v;
  }

  it('names the window that would be discarded; n keeps it, y begins', async () => {
    const app = await renderApp({ session: new FakeSession(tuned()), initial: { screen: 'search' } });
    await app.press('b');
    expect(app.frame()).toContain('It discards the measured window 0.40 mA to 0.90 mA (posture supine, 300 µs).');
    expect(app.session.intents).toEqual([]);
    await app.press('n');
    expect(app.frame()).not.toContain('It discards');
    await app.press('b', 'y');
    expect(app.session.types()).toEqual(['SEARCH_START']);
  });

  it('without measured thresholds b begins at once', async () => {
    const app = await renderApp({ initial: { screen: 'search' } });
    await app.press('b');
    expect(app.session.types()).toEqual(['SEARCH_START']);
  });

  it('Space in the dialog is STOP and closes it without starting a search', async () => {
    const app = await renderApp({ session: new FakeSession(tuned()), initial: { screen: 'search' } });
    await app.press('b', KEY.space, 'y');
    expect(app.session.types()).toEqual(['STOP']);
  });
});

describe('diary screen', () => {
  it('n and p say "No diary open" before a score can be typed', async () => {
    const app = await renderApp({ initial: { screen: 'diary' } });
    for (const key of ['n', 'p']) {
      await app.press(key);
      expect(app.frame()).toMatch(/» No diary open/);
      expect(app.frame()).not.toMatch(/NRS 0-10:|PDI total 0-70:/);
    }
  });

  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('the time axis is in the local time of the process (TZ), with its offset', () => {
    const t0 = Date.UTC(2025, 2, 1, 8); // 08:00 UTC
    const chart: DiaryChartView = {
      patientId: 'P01',
      points: [
        { tMs: t0, nrs: 8, phase: 'baseline', responds: false },
        { tMs: t0 + 48 * 3_600_000, nrs: 4, phase: 'trial', responds: true },
      ],
      baselineNrs: 8,
      responderCeiling: 5,
      window: null,
      verdict: null,
      reasons: [],
    };
    const axis = (tz: string) => {
      process.env.TZ = tz;
      return chartLines(chart, 60).find((l) => l.startsWith('    +'))!;
    };
    expect(axis('Europe/Vienna')).toMatch(/^ {4}\+2025-03-01 09:00-+2025-03-03 09:00 UTC\+01:00$/);
    expect(axis('America/New_York')).toMatch(/^ {4}\+2025-03-01 03:00-+2025-03-03 03:00 UTC-05:00$/);
  });
});

describe('refusals name their own field', () => {
  it('a refused patient-window change reads "Patient window", never "Amplitude"', () => {
    const text = describeNotice({
      kind: 'reject',
      field: 'patientWindow',
      requested: '0.4444–0.4445',
      applied: null,
      reason: 'the window is empty after rounding inward',
    });
    expect(text).toBe('Patient window: 0.4444–0.4445 refused — the window is empty after rounding inward.');
  });

  it('each field has its own label in words', () => {
    const label = (field: Parameters<typeof describeNotice>[0]['field']) =>
      describeNotice({ kind: 'warn', field, requested: null, applied: null, reason: 'r' }).split(':')[0];
    expect(label('pulseWidth')).toBe('Pulse width');
    expect(label('patientWindow')).toBe('Patient window');
    expect(label('amplitude')).toBe('Amplitude');
  });
});
