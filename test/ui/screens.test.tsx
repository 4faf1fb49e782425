import React from 'react';
import { describe, expect, it } from 'vitest';
import { Box } from 'ink';
import { KEY, renderApp, renderPlain } from './render.js';
import { FakeSession, connectedView } from './fake-session.js';
import { App } from '../../src/ui/app.js';
import { SearchScreen } from '../../src/ui/screens/search-screen.js';
import { TherapyScreen } from '../../src/ui/screens/therapy-screen.js';
import { ConnectScreen } from '../../src/ui/screens/connect-screen.js';
import { DiaryScreen } from '../../src/ui/screens/diary-screen.js';
import { chartLines, type DiaryChartView } from '../../src/ui/diary-chart.js';
import { renderBar } from '../../src/ui/components/amplitude-bar.js';
import { LeadDrawing } from '../../src/ui/components/lead-drawing.js';
import type { UiDiary } from '../../src/ui/ui-ports.js';
import type { ScreenView } from '../../src/ui/screen-view.js';
import { noticeSentence } from '../../src/session/notice-words.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 1, 8);

function searchingView(): ScreenView {
  const v = connectedView();
  v.phase = 'search';
  v.generator = { ...v.generator!, output: 'on', mode: 'test', amplitudeUa: 1500 };
  v.search = { active: true, stepUa: 50, dwellMs: 1000, nextStepAtMs: 10_400 };
  v.thresholds = { sensoryUa: 1200, discomfortUa: null, estimated: false, posture: 'sitting', pulseWidthUs: 300 };
  v.posture = 'sitting';
  return v;
}

describe('threshold search screen', () => {
  it('shows the dwell still to wait, the step, the posture and what is marked', () => {
    const f = renderPlain(<SearchScreen view={searchingView()} nowMs={10_000} />).lastFrame()!;
    expect(f).toContain('SEARCHING');
    expect(f).toContain('Dwell: WAIT 0.4 s');
    expect(f).toContain('step 0.05 mA');
    expect(f).toContain('[sitting]');
    expect(f).toMatch(/\[x\] 4\. .*sensory 1\.20 mA/);
    expect(f).toMatch(/\[ \] 5\. .*discomfort —/);
  });

  it('says when the next step is allowed', () => {
    const f = renderPlain(<SearchScreen view={searchingView()} nowMs={10_400} />).lastFrame()!;
    expect(f).toContain('Dwell: ready for the next step');
  });

  it('the dwell counts down on screen while the app runs', async () => {
    let now = 10_000;
    const session = new FakeSession(searchingView());
    const app = await renderApp({ session, initial: { screen: 'search' }, now: () => now });
    expect(app.frame()).toContain('WAIT 0.4 s');
    now = 10_500;
    await app.waitFor((f) => f.includes('ready for the next step'), 'dwell to end');
  });
});

describe('therapy screen', () => {
  it('says whether therapy is committed and shows the windows and patient mode', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'on', mode: 'therapy', amplitudeUa: 2000, committed: true };
    v.thresholds = { sensoryUa: 1500, discomfortUa: 3000, estimated: false, posture: 'supine', pulseWidthUs: 300 };
    v.window = { lowUa: 1500, highUa: 3000 };
    v.patientWindow = { lowUa: 1500, highUa: 2500, set: false };
    v.patientMode = true;
    const f = renderPlain(<TherapyScreen view={v} />).lastFrame()!;
    expect(f).toContain('Committed: yes');
    expect(f).toContain('window 1.50 mA to 3.00 mA');
    expect(f).toContain('Patient window 1.50 mA to 2.50 mA');
    expect(f).toContain('Patient mode ON');
  });

  it('asks for a threshold search when the thresholds are missing or estimated', () => {
    const v = connectedView();
    v.thresholds = { sensoryUa: 1400, discomfortUa: null, estimated: true, posture: null, pulseWidthUs: 400 };
    const f = renderPlain(<TherapyScreen view={v} />).lastFrame()!;
    expect(f).toContain('Committed: NO');
    expect(f).toContain('Thresholds not measured');
  });
});

describe('connect screen', () => {
  it('lists ports with the chosen one marked', () => {
    const f = renderPlain(
      <ConnectScreen
        view={connectedView()}
        ports={{ loading: false, paths: ['/dev/a', '/dev/b'] }}
        cursor={1}
        baud={9600}
      />,
    ).lastFrame()!;
    expect(f).toContain('   /dev/a');
    expect(f).toContain(' > /dev/b');
    expect(f).toContain('Baud for a port: 9600');
  });

  it('says why no ports were found', () => {
    const f = renderPlain(
      <ConnectScreen view={connectedView()} ports={{ loading: false, paths: [] }} cursor={0} baud={9600} />,
    ).lastFrame()!;
    expect(f).toContain('none found (pseudo-terminals are never listed');
  });
});

describe('lead drawing and amplitude bar', () => {
  it('draws each contact with its polarity, the draft and flagged contacts', () => {
    const f = renderPlain(
      <LeadDrawing contacts={'+-000000'} draft={'+0-00000'} cursor={2} flagged={[2]} />,
    ).lastFrame()!;
    expect(f).toMatch(/Lead +\[ 1\+\] \[ 2-\]!\[ 3\.\]/);
    expect(f).toMatch(/Draft +\[ 1\+\] \[ 2\.\]!\[ 3-\]/);
  });

  it('draws two leads for sixteen contacts', () => {
    const f = renderPlain(<LeadDrawing contacts={'-'.padEnd(15, '0') + '+'} />).lastFrame()!;
    expect(f).toMatch(/Lead 1 +\[ 1-\]/);
    expect(f).toMatch(/Lead 2 +.*\[16\+\]/);
  });

  it('marks sensory, discomfort and the current value on the bar', () => {
    const { bar } = renderBar({ amplitudeUa: 2000, sensoryUa: 1000, discomfortUa: 3000, width: 40 });
    expect(bar.indexOf('[')).toBeLessThan(bar.lastIndexOf('#'));
    expect(bar.lastIndexOf('#')).toBeLessThan(bar.indexOf(']'));
    expect(bar).toMatch(/#-+\]/);
    expect(bar.length).toBe(40);
  });

  it('draws no window and no fill at 0 mA without thresholds', () => {
    const { bar } = renderBar({ amplitudeUa: 0, sensoryUa: null, discomfortUa: null, width: 20 });
    expect(bar).toBe('.'.repeat(20));
  });
});

function chart(): DiaryChartView {
  return {
    patientId: 'P01',
    points: [
      { tMs: T0, nrs: 8, phase: 'baseline', responds: false },
      { tMs: T0 + 12 * H, nrs: 8, phase: 'baseline', responds: false },
      { tMs: T0 + 24 * H, nrs: 5, phase: 'trial', responds: true },
      { tMs: T0 + 48 * H, nrs: 4, phase: 'trial', responds: true },
      { tMs: T0 + 72 * H, nrs: 5, phase: 'trial', responds: true },
      { tMs: T0 + 84 * H, nrs: 7, phase: 'trial', responds: false },
    ],
    baselineNrs: 8,
    responderCeiling: 5,
    window: { startMs: T0 + 24 * H, endMs: T0 + 72 * H },
    verdict: 'insufficient',
    reasons: ['activity not assessed'],
  };
}

describe('diary chart', () => {
  it('draws baseline, the 30% line, the points and the qualifying window', () => {
    const lines = chartLines(chart(), 60);
    expect(lines[10 - 8]).toMatch(/^ {2}8 \|b=+/); // baseline row
    expect(lines[10 - 5]).toMatch(/^ {2}5 \|[- ]*\*/); // responder line with responding entries
    expect(lines[10 - 7]).toContain('o'); // non-responding trial entry
    const windowLine = lines.find((l) => l.includes('qualifying window'))!;
    expect(windowLine.indexOf('^')).toBeGreaterThan(5);
    expect(
      lines.some((l) => /^ {4}\+\d{4}-\d\d-\d\d \d\d:\d\d-+\d{4}-\d\d-\d\d \d\d:\d\d UTC[+-]\d\d:\d\d$/.test(l)),
    ).toBe(true);
  });

  it('says so when there is nothing to draw', () => {
    expect(chartLines({ ...chart(), points: [] })).toEqual(['  (no NRS entries yet: n adds one)']);
  });

  it('the diary screen shows the verdict and the legend', () => {
    const f = renderPlain(<DiaryScreen chart={chart()} phase="trial" />).lastFrame()!;
    expect(f).toContain('patient P01');
    expect(f).toContain('- 30% line (≤ 5 responds)');
    expect(f).toContain('Verdict: insufficient — activity not assessed');
  });
});

describe('diary screen keys', () => {
  function fakeDiary() {
    const added: unknown[] = [];
    const diary: UiDiary = {
      chart: () => ({ ...chart(), points: chart().points.slice(0, added.length + 1) }),
      add: (e) => {
        added.push(e);
        return e.nrs === 11
          ? { ok: false, error: 'nrs: NRS 11 is out of range 0–10' }
          : { ok: true, text: `saved ${JSON.stringify(e)}` };
      },
    };
    return { diary, added };
  }

  it('n and p enter scores for the chosen phase; f switches phase', async () => {
    const { diary, added } = fakeDiary();
    const app = await renderApp({ diary, initial: { screen: 'diary' } });
    await app.press('n', '7', KEY.enter, 'f', 'p', '3', '4', KEY.enter);
    expect(added).toEqual([
      { phase: 'trial', nrs: 7 },
      { phase: 'baseline', pdi: 34 },
    ]);
    expect(app.frame()).toContain('saved');
  });

  it('shows why an entry was refused; letters never reach a score field', async () => {
    const { diary, added } = fakeDiary();
    const app = await renderApp({ diary, initial: { screen: 'diary' } });
    await app.press('n', '1', 'x', '1', KEY.enter);
    expect(added).toEqual([{ phase: 'trial', nrs: 11 }]);
    expect(app.frame()).toContain('not saved: nrs: NRS 11 is out of range 0–10');
  });

  it('without a diary it says how to open one', async () => {
    const app = await renderApp({ initial: { screen: 'diary' } });
    expect(app.frame()).toContain("start with 'scs --patient ID'");
    await app.press('n', '5', KEY.enter);
    expect(app.frame()).toContain("start with 'scs --patient ID'");
  });
});

describe('80×24', () => {
  function busyView(): ScreenView {
    const v = searchingView();
    v.impedance = {
      at: '2025-03-01T10:11:12+01:00',
      ohms: [800, 'open', 900, 'short', 700, 700, 700, 700],
      flagged: [2, 4],
    };
    v.lastNotice = {
      kind: 'clamp',
      text: noticeSentence({
        kind: 'clamp',
        field: 'amplitude',
        requested: 5,
        applied: 3.5,
        reason: 'discomfort threshold 3.5 mA',
      }),
    };
    v.window = { lowUa: 1200, highUa: 3500 };
    v.thresholds = { ...v.thresholds, discomfortUa: 3500 };
    return v;
  }
  const cases: Array<[string, string[]]> = [
    ['program with a draft', ['+']],
    ['search', ['3']],
    ['therapy with the commit dialog', ['4', 'c']],
    ['connect with a field', ['1', 'e', '/dev/ttyUSB0']],
    ['diary with a field', ['5', 'n', '4']],
    ['help on the program page', ['?']],
    ['quit dialog', ['q']],
  ];
  for (const [name, keys] of cases) {
    it(`${name} fits in 80 columns and 24 rows with the status on top`, async () => {
      const diary: UiDiary = { chart, add: () => ({ ok: true, text: 'saved' }) };
      const session = new FakeSession(busyView());
      const app = await renderApp({ session, diary, wrap: (tree) => <Box width={80}>{tree}</Box> });
      await app.press(...keys);
      const lines = app.frame().split('\n');
      expect(lines.length, app.frame()).toBeLessThanOrEqual(24);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
      expect(lines[1]).toContain('OUTPUT ON test');
      expect(app.frame()).toContain('FLAGGED 2:open 4:short');
    });
  }
});

describe('colour', () => {
  it('NO_COLOR: no colour codes, the same words', async () => {
    const { default: chalk } = await import('chalk');
    const level = chalk.level;
    chalk.level = 1;
    try {
      const view = busyOutput();
      const coloured = renderPlain(
        <App session={new FakeSession(view)} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />,
        true,
      ).lastFrame()!;
      const plain = renderPlain(
        <App session={new FakeSession(view)} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />,
        false,
      ).lastFrame()!;
      // eslint-disable-next-line no-control-regex
      const colour = /\u001B\[(3[0-7]|9[0-7])m/;
      expect(coloured).toMatch(colour);
      expect(plain).not.toMatch(colour);
      expect(words(plain)).toBe(words(coloured));
    } finally {
      chalk.level = level;
    }
  });
});

/** The text without any styling codes or trailing blanks. */
function words(frame: string): string {
  return (
    frame
      // eslint-disable-next-line no-control-regex
      .replace(/\u001B\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
  );
}

function busyOutput(): ScreenView {
  const v = connectedView();
  v.generator = { ...v.generator!, output: 'on', mode: 'test' };
  return v;
}
