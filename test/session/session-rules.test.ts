import { describe, expect, it } from 'vitest';
import { harness, measured, gen } from './harness.js';

describe('lifecycle and STOP', () => {
  it('connects into ready with output off, bound to the generator', async () => {
    const h = await harness();
    expect(h.c.view()).toMatchObject({ state: 'ready', binding: { serial: 'SIM-000001', proto: 2 } });
    expect(gen(h).output).toBe('off');
  });
  it('STOP from search sends STOP before anything queued after it and leaves output off', async () => {
    const h = await harness();
    await measured(h, 2, 0).catch(() => {});
    await h.do({ type: 'SEARCH_START' });
    expect(gen(h).output).toBe('on');
    h.c.send({ type: 'AMPLITUDE_UP' });
    h.c.send({ type: 'STOP' });
    h.c.send({ type: 'AMPLITUDE_UP' });
    await h.flush();
    const stopAt = h.link.sent.findIndex((s) => s.type === 'STOP');
    expect(stopAt).toBeGreaterThan(-1);
    expect(h.link.sent.slice(stopAt + 1).some((s) => s.type === 'OUTPUT' && s.on)).toBe(false);
    expect(gen(h).output).toBe('off');
    expect(h.c.view().state).toBe('ready');
  });
  it('STOP before connecting is sent first on connection', async () => {
    const h = await harness({ connect: false });
    h.c.send({ type: 'STOP' });
    await h.do({ type: 'CONNECT' });
    expect(h.link.sent.map((s) => s.type).slice(0, 4)).toContain('STOP');
    expect(h.c.view()).toMatchObject({ state: 'ready', stopPending: false });
  });
  it('STOP while the link is down is held and confirmed when it returns', async () => {
    const h = await harness();
    await measured(h, 4, 2);
    h.link.drop();
    await h.flush();
    h.c.send({ type: 'STOP' });
    await h.flush();
    expect(h.c.view().stopPending).toBe(true);
    h.link.restore();
    await h.c.settled();
    expect(gen(h).output).toBe('off');
    expect(h.c.view().stopPending).toBe(false);
  });
});

describe('threshold search', () => {
  it('starts output in test mode at 0 mA and moves one step per action', async () => {
    const h = await harness();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    expect(gen(h)).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 0 });
    await h.do({ type: 'AMPLITUDE_UP' });
    expect(gen(h).amplitudeUa).toBe(50);
    await h.do({ type: 'AMPLITUDE_DOWN' });
    expect(gen(h).amplitudeUa).toBe(0);
    const set = await h.do({ type: 'AMPLITUDE_SET', ma: 3 });
    expect(set.accepted).toBe(false);
    expect(gen(h).amplitudeUa).toBe(0);
  });
  it('a step before the dwell has passed is refused; after it, accepted', async () => {
    const h = await harness({ input: { dwellMs: 1000 } });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    expect(h.c.view().dwellRemainingMs).toBe(1000);
    const early = await h.do({ type: 'AMPLITUDE_UP' });
    expect(early).toMatchObject({
      accepted: false,
      notices: [{ kind: 'reject', reason: expect.stringMatching(/dwell/) }],
    });
    h.clock.now += 1000;
    expect((await h.do({ type: 'AMPLITUDE_UP' })).accepted).toBe(true);
    h.clock.now += 999;
    expect((await h.do({ type: 'AMPLITUDE_UP' })).accepted).toBe(false);
    expect(gen(h).amplitudeUa).toBe(50);
  });
  it('discomfort drops amplitude at once to sensory and must exceed sensory', async () => {
    const h = await harness();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    expect((await h.do({ type: 'MARK_SENSORY' })).accepted).toBe(false); // at 0 mA
    for (let i = 0; i < 10; i++) await h.do({ type: 'AMPLITUDE_UP' });
    await h.do({ type: 'MARK_SENSORY' });
    expect((await h.do({ type: 'MARK_DISCOMFORT' })).accepted).toBe(false);
    for (let i = 0; i < 6; i++) await h.do({ type: 'AMPLITUDE_UP' });
    const d = await h.do({ type: 'MARK_DISCOMFORT' });
    expect(d.accepted).toBe(true);
    expect(gen(h).amplitudeUa).toBe(500);
    expect(h.c.view()).toMatchObject({
      state: 'tuning',
      thresholds: { sensoryUa: 500, discomfortUa: 800 },
      window: { lowUa: 500, highUa: 800 },
    });
    expect(h.c.view().allThresholds[0]).toMatchObject({ pulseWidthUs: 200, contacts: '-+000000', posture: 'supine' });
  });
  it('amplitude cannot rise without an anode and a cathode', async () => {
    const h = await harness();
    const r = await h.do({ type: 'ELECTRODES', spec: ['1-'] });
    expect(r).toMatchObject({ accepted: false, notices: [{ kind: 'reject', field: 'electrodes' }] });
    expect((await h.do({ type: 'SEARCH_START' })).accepted).toBe(false);
    expect(gen(h).output).toBe('off');
  });
  it('an open active contact refuses the search', async () => {
    const h = await harness({ config: { impedances: ['open'] } });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    const r = await h.do({ type: 'SEARCH_START' });
    expect(r.accepted).toBe(false);
    expect(r.notices.at(-1)?.reason).toMatch(/contact 1 open/);
    expect(gen(h).output).toBe('off');
  });
  it('search amplitude stops at the charge-density limit (7.35 mA at 500 µs)', async () => {
    const h = await harness();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    await h.do({ type: 'SEARCH_START' });
    for (let i = 0; i < 150; i++) await h.do({ type: 'AMPLITUDE_UP' });
    expect(gen(h).amplitudeUa).toBe(7350);
    const r = await h.do({ type: 'AMPLITUDE_UP' });
    expect(r).toMatchObject({ accepted: false, notices: [{ reason: expect.stringMatching(/charge-density/) }] });
  });
});

describe('window, therapy and patient mode', () => {
  it('amplitude is clamped into [sensory, discomfort], with notices', async () => {
    const h = await harness();
    await measured(h, 20, 20); // 1.0 – 2.0 mA
    const hi = await h.do({ type: 'AMPLITUDE_SET', ma: 9 });
    expect(hi.notices).toEqual([
      expect.objectContaining({ kind: 'clamp', field: 'amplitude', requested: 9, applied: 2 }),
      expect.objectContaining({
        kind: 'info',
        field: 'amplitude',
        requested: 9, // what was asked (bb3 F-L3), not where the ramp starts
        applied: 2,
        reason: expect.stringMatching(/^ramping up from 1 to 2 mA at 1 mA\/s/),
      }),
    ]);
    expect(gen(h).amplitudeUa).toBe(2000);
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.2 });
    expect(gen(h).amplitudeUa).toBe(1000);
    await h.do({ type: 'AMPLITUDE_DOWN' });
    expect(gen(h).amplitudeUa).toBe(1000);
  });
  it('therapy needs an explicit commit; committed therapy survives link loss, test stimulation does not', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    expect(gen(h).committed).toBe(false);
    h.link.drop();
    await h.flush();
    h.link.restore();
    await h.c.settled();
    expect(gen(h).output).toBe('off'); // uncommitted test stimulation stopped after the link loss
    await h.do({ type: 'OUTPUT_ON' });
    expect(gen(h)).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 0 });
    await h.do({ type: 'AMPLITUDE_SET', ma: 1.5 });
    await h.do({ type: 'COMMIT' });
    expect(gen(h)).toMatchObject({ output: 'on', mode: 'therapy', committed: true, amplitudeUa: 1500 });
    h.link.drop();
    await h.flush();
    h.link.restore();
    await h.c.settled();
    expect(gen(h)).toMatchObject({ output: 'on', mode: 'therapy', amplitudeUa: 1500 });
    expect(h.c.view().state).toBe('therapy');
  });
  it('output never comes back on after a generator reset', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    h.link.reset();
    await h.c.settled();
    expect(gen(h).output).toBe('off');
    expect(h.c.view().state).toBe('ready');
    expect(h.c.view().notices.some((n) => /reset/.test(n.reason))).toBe(true);
  });
  it('patient mode: amplitude only, inside the window', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    await h.do({ type: 'PATIENT_MODE', on: true });
    for (const e of [
      { type: 'RATE', hz: 45 },
      { type: 'PULSE_WIDTH', us: 400 },
      { type: 'ELECTRODES', spec: ['3-', '4+'] },
      { type: 'SEARCH_START' },
      { type: 'MARK_SENSORY' },
    ] as const) {
      expect((await h.do(e)).accepted).toBe(false);
    }
    await h.do({ type: 'AMPLITUDE_SET', ma: 20 });
    expect(gen(h).amplitudeUa).toBe(2000);
    await h.do({ type: 'AMPLITUDE_UP' });
    expect(gen(h).amplitudeUa).toBe(2000);
    expect(gen(h)).toMatchObject({ rateHz: 50, pulseWidthUs: 300, contacts: '-+000000' });
  });
  it('commit is refused without measured thresholds', async () => {
    const h = await harness();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    await h.do({ type: 'AMPLITUDE_UP' });
    expect((await h.do({ type: 'COMMIT' })).accepted).toBe(false);
    expect(gen(h).committed).toBe(false);
  });
});

describe('program changes', () => {
  it('an electrode change sets amplitude to 0, discards thresholds and turns output off first', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    const r = await h.do({ type: 'ELECTRODES', spec: ['3-', '4+'] });
    expect(r.accepted).toBe(true);
    expect(gen(h)).toMatchObject({ output: 'off', amplitudeUa: 0, contacts: '00-+0000' });
    expect(h.c.view().allThresholds).toEqual([]);
    expect((await h.do({ type: 'OUTPUT_ON' })).accepted).toBe(false);
  });
  it('a pulse-width change discards thresholds, offers an estimate at or below it and therapy needs re-measurement', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    const r = await h.do({ type: 'PULSE_WIDTH', us: 400 });
    expect(r.accepted).toBe(true);
    expect(h.c.view().allThresholds).toEqual([]);
    const est = h.c.view().estimate!;
    expect(est).toMatchObject({ estimated: true, pulseWidthUs: 400 });
    expect(gen(h).amplitudeUa).toBeLessThanOrEqual(est.sensoryUa);
    expect(gen(h).output).toBe('off');
    expect((await h.do({ type: 'OUTPUT_ON' })).accepted).toBe(false);
    expect((await h.do({ type: 'COMMIT' })).accepted).toBe(false);
  });
  it('rate is clamped to 40–60 Hz and a change while on turns output off first', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    const r = await h.do({ type: 'RATE', hz: 100 });
    expect(r.notices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'clamp', field: 'rate', requested: 100, applied: 60 }),
        expect.objectContaining({ kind: 'warn', field: 'output' }),
      ]),
    );
    expect(gen(h)).toMatchObject({ rateHz: 60, output: 'off' });
    expect(h.c.view().window).not.toBeNull(); // rate keeps the thresholds
  });
});

describe('H13 binding and H17 outside changes', () => {
  it('a different generator blocks programming until re-bound', async () => {
    const h = await harness({ input: { binding: { serial: 'SIM-999999', proto: 1 } } });
    expect(h.c.view().state).toBe('blocked');
    const r = await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    expect(r.accepted).toBe(false);
    expect(h.link.sent.some((s) => s.type === 'SET')).toBe(false);
    await h.do({ type: 'REBIND' });
    expect(h.c.view()).toMatchObject({ state: 'ready', binding: { serial: 'SIM-000001' } });
    expect((await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] })).accepted).toBe(true);
  });
  it('a program change made elsewhere is shown and never overwritten', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    const sets = h.link.sent.filter((s) => s.type === 'SET').length;
    h.link.external({ rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1200, contacts: '-+000000' });
    await h.c.settled();
    await h.flush();
    await h.c.settled();
    expect(
      h.c
        .view()
        .notices.some((n) => n.field === 'program' && n.kind === 'warn' && /outside the companion/.test(n.reason)),
    ).toBe(true);
    expect(h.link.sent.filter((s) => s.type === 'SET').length).toBe(sets);
    expect(gen(h).amplitudeUa).toBe(1200);
    expect(h.c.view().generator?.amplitudeUa).toBe(1200);
  });
});

describe('audit', () => {
  it('records decisions (with clamps and refusals), stops, commits and faults', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    await h.do({ type: 'AMPLITUDE_SET', ma: 5 });
    await h.do({ type: 'COMMIT' });
    await h.do({ type: 'RATE', hz: 10 });
    await h.do({ type: 'STOP' });
    const kinds = h.audit.map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['decision', 'applied', 'stop', 'stopped', 'link']));
    const decisions = h.audit.filter((a) => a.kind === 'decision') as unknown as Array<{
      outcome: { intent: string; notices: Array<{ kind: string }> };
    }>;
    expect(decisions.some((d) => d.outcome.intent === 'AMPLITUDE_SET' && d.outcome.notices[0]?.kind === 'clamp')).toBe(
      true,
    );
    expect(decisions.some((d) => d.outcome.intent === 'COMMIT')).toBe(true);
    h.link.drop();
    await h.do({ type: 'OUTPUT_OFF' });
    await h.flush();
    expect(h.audit.some((a) => a.kind === 'link' || a.kind === 'fault')).toBe(true);
  });
});
