import { describe, expect, it } from 'vitest';
import { KEY, renderApp } from './render.js';
import { FakeSession, connectedView } from './fake-session.js';
import { readFileSync } from 'node:fs';
import { GLOBAL_KEYS, SCREEN_KEYS, SCREENS, keyMapMarkdown } from '../../src/ui/key-map.js';
import { handleKey, type KeyInfo } from '../../src/ui/key-handler.js';
import { initialUiState } from '../../src/ui/ui-state.js';

describe('space is STOP everywhere', () => {
  const places: Array<[string, string[]]> = [
    ['program screen', []],
    ['connect screen', ['1']],
    ['search screen', ['3']],
    ['therapy screen', ['4']],
    ['diary screen', ['5']],
    ['help overlay', ['?']],
    ['commit dialog', ['4', 'c']],
    ['quit dialog', ['q']],
    ['port path field', ['1', 'e', '/', 'd']],
    ['baud field', ['1', 'b', '9']],
  ];
  for (const [where, keys] of places) {
    it(`in the ${where}`, async () => {
      const app = await renderApp();
      await app.press(...keys);
      const before = app.session.intents.length;
      await app.press(KEY.space);
      expect(app.session.intents.slice(before)).toEqual([{ type: 'STOP' }]);
    });
  }

  it('a text field never receives the space, and keeps what was typed', async () => {
    const app = await renderApp();
    await app.press('1', 'e', '/', 't', KEY.space, 'x');
    expect(app.frame()).toContain('Port path: /tx');
    expect(app.session.types()).toEqual(['STOP']);
  });

  it('a pasted string containing a space is STOP, not text', async () => {
    const app = await renderApp();
    await app.press('1', 'e', '/dev/tty USB0');
    expect(app.session.types()).toEqual(['STOP']);
    expect(app.frame()).toMatch(/Port path: +Enter accept/);
  });

  it('STOP cancels a pending commit confirmation', async () => {
    const app = await renderApp();
    await app.press('4', 'c', KEY.space, 'y');
    expect(app.session.types()).toEqual(['STOP']);
    expect(app.frame()).not.toContain('Commit therapy to the generator?');
  });

  it('Ctrl+C sends STOP and then quits', async () => {
    const app = await renderApp();
    await app.press(KEY.ctrlC);
    expect(app.session.types()).toEqual(['STOP']);
    expect(app.quits).toEqual([true]);
  });
});

describe('program screen keys', () => {
  it('arrows, rate, pulse width, output and impedance send intents, never values', async () => {
    const app = await renderApp();
    await app.press(KEY.up, KEY.down, 'R', 'r', 'W', 'w', 'o');
    expect(app.session.types()).toEqual([
      'AMPLITUDE_UP',
      'AMPLITUDE_DOWN',
      'RATE_UP',
      'RATE_DOWN',
      'PULSE_WIDTH_UP',
      'PULSE_WIDTH_DOWN',
      'OUTPUT_ON',
    ]);
  });

  it('o turns output off when the generator says it is on', async () => {
    const view = connectedView();
    view.generator = { ...view.generator!, output: 'on', mode: 'test' };
    const app = await renderApp({ session: new FakeSession(view) });
    await app.press('o');
    expect(app.session.types()).toEqual(['OUTPUT_OFF']);
  });

  it('electrodes are edited as a draft and applied whole with Enter', async () => {
    const app = await renderApp();
    await app.press(KEY.right, KEY.right, '-', KEY.left, '0');
    expect(app.session.intents).toEqual([]);
    expect(app.frame()).toMatch(/Draft\s+\[ 1\+\] \[ 2\.\] \[ 3-\]/);
    await app.press(KEY.enter);
    expect(app.session.intents).toEqual([{ type: 'ELECTRODES', spec: '+0-00000' }]);
    expect(app.frame()).not.toContain('Draft');
  });

  it('keys that arrive together act one by one', async () => {
    const app = await renderApp();
    await app.press(`${KEY.right}${KEY.right}-\r`);
    expect(app.session.intents).toEqual([{ type: 'ELECTRODES', spec: '+--00000' }]);
  });

  it('x discards the draft and Enter without a draft sends nothing', async () => {
    const app = await renderApp();
    await app.press('+', 'x', KEY.enter);
    expect(app.session.intents).toEqual([]);
    expect(app.frame()).toContain('no electrode change to apply');
  });

  it('the cursor stays on the lead', async () => {
    const app = await renderApp();
    await app.press(KEY.left, ...Array(12).fill(KEY.right), '-', KEY.enter);
    expect(app.session.intents).toEqual([{ type: 'ELECTRODES', spec: '+-00000-' }]);
  });
});

describe('impedance check key', () => {
  it('i asks the session for an impedance check on the program and search screens', async () => {
    const app = await renderApp();
    await app.press('i', '3', 'i');
    expect(app.session.intents).toEqual([{ type: 'IMPEDANCE_CHECK' }, { type: 'IMPEDANCE_CHECK' }]);
  });
});

describe('search screen keys', () => {
  it('posture, begin, steps and marks send intents', async () => {
    const app = await renderApp({ initial: { screen: 'search' } });
    await app.press('p', 'P', 'b', KEY.up, KEY.down, 's', 'd');
    expect(app.session.intents).toEqual([
      { type: 'POSTURE', posture: 'sitting' },
      { type: 'POSTURE', posture: 'walking' },
      { type: 'SEARCH_START' },
      { type: 'AMPLITUDE_UP' },
      { type: 'AMPLITUDE_DOWN' },
      { type: 'MARK_SENSORY' },
      { type: 'MARK_DISCOMFORT' },
    ]);
  });
});

describe('therapy screen keys', () => {
  it('c asks before COMMIT; y commits, n cancels', async () => {
    const app = await renderApp({ initial: { screen: 'therapy' } });
    await app.press('c');
    expect(app.frame()).toContain('Commit therapy to the generator?');
    expect(app.session.intents).toEqual([]);
    await app.press('n', 'c', 'y');
    expect(app.session.types()).toEqual(['COMMIT']);
    await app.press('c', KEY.enter);
    expect(app.session.types()).toEqual(['COMMIT', 'COMMIT']);
  });

  it('m turns patient mode on after the clinician sets a PIN; leaving it takes that PIN (issue 13)', async () => {
    const session = new FakeSession();
    const app = await renderApp({ session, initial: { screen: 'therapy' } });
    await app.press('m');
    expect(app.frame()).toContain('Clinician PIN to leave patient mode later');
    // Too short: refused, nothing sent.
    await app.press('1', '2', KEY.enter);
    expect(session.intents).toEqual([]);
    expect(app.frame()).toMatch(/at least 4 digits/);
    await app.press('m', '2', '4', '6', '8');
    // The PIN is never shown.
    expect(app.frame()).not.toContain('2468');
    expect(app.frame()).toContain('****');
    await app.press(KEY.enter);
    expect(session.intents).toEqual([{ type: 'PATIENT_MODE', on: true }]);
    session.setView({ patientMode: true });
    // The patient presses m (and anything after): no way out without the PIN.
    await app.press('m', '1', '1', '1', '1', KEY.enter);
    expect(app.frame()).toMatch(/wrong PIN: patient mode stays on/);
    await app.press('m', KEY.escape, KEY.up, KEY.down);
    expect(session.intents).toEqual([
      { type: 'PATIENT_MODE', on: true },
      { type: 'AMPLITUDE_UP' },
      { type: 'AMPLITUDE_DOWN' },
    ]);
    await app.press('m', '2', '4', '6', '8', KEY.enter);
    expect(session.intents.at(-1)).toEqual({ type: 'PATIENT_MODE', on: false });
  });
});

describe('patient window keys', () => {
  it('w takes MIN-MAX in mA and sends it as typed; the session does the clamping', async () => {
    const app = await renderApp({ initial: { screen: 'therapy' } });
    await app.press('w', '1', '.', '2', '-', '1', '.', '8');
    expect(app.frame()).toContain('Patient window MIN-MAX mA: 1.2-1.8');
    await app.press(KEY.enter);
    expect(app.session.intents).toEqual([{ type: 'PATIENT_WINDOW', minMa: 1.2, maxMa: 1.8 }]);
    await app.press('w', '1', '2', KEY.enter);
    expect(app.session.intents).toHaveLength(1);
    expect(app.frame()).toContain("'12' is not MIN-MAX in mA");
  });

  it('the therapy screen says when the patient window was set by the clinician', async () => {
    const session = new FakeSession({ patientWindow: { lowUa: 1200, highUa: 1800, set: true } });
    const app = await renderApp({ session, initial: { screen: 'therapy' } });
    expect(app.frame()).toContain('Patient window 1.20 mA to 1.80 mA (set) (w)');
  });
});

describe('connect screen keys', () => {
  it('chooses a listed port and connects with the baud typed', async () => {
    const app = await renderApp({ initial: { screen: 'connect' } });
    await app.waitFor((f) => f.includes('/dev/ttyACM0'), 'ports');
    await app.press('b', '9', '6', '0', '0', KEY.enter, KEY.down, KEY.enter);
    expect(app.session.connects).toEqual([{ port: '/dev/ttyACM0', baud: 9600 }]);
  });

  it('types a path by hand, Backspace edits, Esc cancels', async () => {
    const app = await renderApp({ initial: { screen: 'connect' } });
    await app.press('e', '/', 'x', KEY.backspace, 'd', KEY.escape);
    expect(app.session.connects).toEqual([]);
    await app.press('e', '/dev/pts/7', KEY.enter);
    expect(app.session.connects).toEqual([{ port: '/dev/pts/7', baud: 115200 }]);
  });

  it('u uses the simulator; r lists again; says why no ports were found', async () => {
    let calls = 0;
    const app = await renderApp({
      initial: { screen: 'connect' },
      listPorts: async () => {
        calls++;
        return { paths: [], error: 'cannot list serial ports: udevadm was not found' };
      },
    });
    await app.waitFor((f) => f.includes('udevadm was not found'), 'reason');
    await app.press('u', 'r', KEY.enter);
    expect(app.session.connects).toEqual([{ baud: 115200 }]);
    await app.waitFor(() => calls === 2, 'second listing');
    expect(app.frame()).toContain('no port to connect to');
    await app.press('c', 'B');
    expect(app.session.types()).toEqual(['CONNECT', 'REBIND']);
  });
});

describe('navigation and help', () => {
  it('digits and Tab move between screens', async () => {
    const app = await renderApp();
    await app.press('1');
    expect(app.frame()).toContain('Serial ports:');
    await app.press(KEY.tab);
    expect(app.frame()).toContain('Rate 50 Hz');
    await app.press(KEY.shiftTab, KEY.shiftTab);
    expect(app.frame()).toContain('Diary');
    await app.press('3');
    expect(app.frame()).toContain('Threshold search');
  });

  it('? shows the keys of the current screen; arrows page; Esc closes; q asks before quitting', async () => {
    const app = await renderApp({ initial: { screen: 'search' } });
    await app.press('?');
    expect(app.frame()).toContain('mark discomfort threshold');
    await app.press(KEY.right);
    expect(app.frame()).toContain('commit therapy to the generator');
    await app.press(KEY.escape, 'q');
    expect(app.frame()).toContain('Quit the companion?');
    await app.press('n');
    expect(app.quits).toEqual([]);
    await app.press('q', 's');
    expect(app.session.types()).toEqual(['STOP']);
    expect(app.quits).toEqual([true]);
  });

  it('quitting may leave output on only for a committed therapy program', async () => {
    const view = connectedView();
    view.generator = { ...view.generator!, output: 'on', mode: 'test', committed: false };
    const session = new FakeSession(view);
    const app = await renderApp({ session });
    await app.press('q', 'k');
    expect(app.quits).toEqual([]);
    session.setView({ generator: { ...view.generator, mode: 'therapy', committed: true } });
    await app.press('k');
    expect(app.quits).toEqual([false]);
    expect(session.intents).toEqual([]);
  });
});

describe('every documented key does something', () => {
  const RAW: Record<string, string> = { '↑': KEY.up, '↓': KEY.down, '←': KEY.left, '→': KEY.right, Enter: KEY.enter };
  const ctx = { view: connectedView(), ports: ['/dev/ttyUSB0'] };
  for (const screen of SCREENS) {
    for (const binding of SCREEN_KEYS[screen.id]) {
      it(`${screen.title}: ${binding.keys}`, () => {
        for (const name of binding.keys.split(' / ')) {
          const [input, key] = toKey(RAW[name] ?? name);
          const state = initialUiState({ screen: screen.id, draft: screen.id === 'program' ? '-+000000' : null });
          const result = handleKey(state, input, key, ctx);
          expect(result.commands.length > 0 || result.state !== state, `${name} on ${screen.id}`).toBe(true);
        }
      });
    }
  }
  it("the README's key map is the one the help overlay shows", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keyMapMarkdown());
  });

  it('the global table names space, Ctrl+C, ? and q', () => {
    expect(GLOBAL_KEYS.map((k) => k.keys)).toEqual(expect.arrayContaining(['Space', 'Ctrl+C', '?', 'q']));
  });
});

function toKey(raw: string): [string, KeyInfo] {
  if (raw === KEY.up) return ['', { upArrow: true }];
  if (raw === KEY.down) return ['', { downArrow: true }];
  if (raw === KEY.left) return ['', { leftArrow: true }];
  if (raw === KEY.right) return ['', { rightArrow: true }];
  if (raw === KEY.enter) return ['', { return: true }];
  return [raw, {}];
}
