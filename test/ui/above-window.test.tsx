import { describe, expect, it } from 'vitest';
import { FakeSession, connectedView } from './fake-session.js';
import { renderApp } from './render.js';
import { gen, harness, measured } from '../session/harness.js';

/**
 * Issue 13, item 2: output above the measured discomfort threshold because of an outside change is
 * warned about at once with a `!!` line on every screen, and one key (v) brings amplitude back into
 * the window; the session takes it down to the window's top at once (the safe direction).
 */

describe('amplitude above the window after an outside change', () => {
  it('a !! line on every screen, and v sends one step down (which the session clamps to the window top)', async () => {
    const base = connectedView();
    const session = new FakeSession({
      generator: { ...base.generator!, output: 'on', mode: 'therapy', committed: true, amplitudeUa: 2500 },
      window: { lowUa: 200, highUa: 600 },
    });
    for (const screen of ['connect', 'program', 'search', 'therapy', 'diary'] as const) {
      const app = await renderApp({ session, initial: { screen } });
      expect(app.frame(), screen).toContain(
        '!! OUTPUT 2.50 mA IS ABOVE THE DISCOMFORT THRESHOLD 0.60 mA: press v to bring it down now',
      );
      app.unmount();
    }
    const app = await renderApp({ session, initial: { screen: 'diary' } });
    await app.press('v');
    expect(session.intents).toEqual([{ type: 'AMPLITUDE_DOWN' }]);
  });

  // bb3 F-L9: with output off the program still holds the amplitude; output turned on elsewhere (the
  // patient's remote) would deliver it. The line says output is off, and v still brings it down.
  it('with output off: a !! line saying output is off, and v sends one step down', async () => {
    const base = connectedView();
    const session = new FakeSession({
      generator: { ...base.generator!, output: 'off', amplitudeUa: 2500 },
      window: { lowUa: 200, highUa: 600 },
    });
    const app = await renderApp({ session, initial: { screen: 'therapy' } });
    expect(app.frame().replace(/\n +/g, ' ')).toContain(
      '!! PROGRAMMED 2.50 mA IS ABOVE THE DISCOMFORT THRESHOLD 0.60 mA (output off; turned on elsewhere it would deliver it): press v to bring it down',
    );
    expect(app.frame()).not.toContain('!! OUTPUT');
    await app.press('v');
    expect(session.intents).toEqual([{ type: 'AMPLITUDE_DOWN' }]);
  });

  it('no line and no intent while amplitude is inside the window', async () => {
    const base = connectedView();
    const session = new FakeSession({
      generator: { ...base.generator!, output: 'on', amplitudeUa: 500 },
      window: { lowUa: 200, highUa: 600 },
    });
    const app = await renderApp({ session });
    expect(app.frame()).not.toContain('IS ABOVE');
    await app.press('v');
    expect(session.intents).toEqual([]);
  });

  it('in the session: remote amp 2.5 during therapy, then one step down lands on the discomfort threshold at once', async () => {
    const h = await harness();
    await measured(h, 4, 8); // 0.2 – 0.6 mA
    await h.do({ type: 'COMMIT' });
    const s = gen(h);
    h.link.external({ rateHz: s.rateHz, pulseWidthUs: s.pulseWidthUs, amplitudeUa: 2500, contacts: s.contacts });
    await h.flush();
    await h.c.settled();
    expect(gen(h).amplitudeUa).toBe(2500);
    const sent = h.link.sent.length;
    await h.do({ type: 'AMPLITUDE_DOWN' });
    expect(gen(h).amplitudeUa).toBe(600);
    expect(h.link.sent.slice(sent).filter((x) => x.type === 'SET')).toHaveLength(1);
  });

  it('in the session: remote amp 2.5 with output off is warned saying so; one step down lowers the program, output stays off', async () => {
    const h = await harness();
    await measured(h, 4, 8); // 0.2 – 0.6 mA
    await h.do({ type: 'OUTPUT_OFF' });
    h.c.takeNotices();
    const s = gen(h);
    expect(s.output).toBe('off');
    h.link.external({ rateHz: s.rateHz, pulseWidthUs: s.pulseWidthUs, amplitudeUa: 2500, contacts: s.contacts });
    await h.flush();
    await h.c.settled();
    const told = h.c.takeNotices().filter((n) => n.field === 'amplitude');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ kind: 'warn', requested: 2.5, applied: 2.5 });
    expect(told[0]!.reason).toMatch(/above the measured window 0\.2–0\.6 mA while output is off/);
    await h.do({ type: 'AMPLITUDE_DOWN' });
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: 600 });
  });
});
