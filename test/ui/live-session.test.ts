import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import type { GeneratorConfig } from '../../firmware-sim/generator-config.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { flaggedContacts } from '../../src/session/impedance-check.js';
import { LiveSession, type ConnectTarget } from '../../src/ui/live-session.js';
import type { SessionRequest } from '../../src/ui/ui-ports.js';
import { until } from '../helpers/until.js';

/** LiveSession over the real link and the simulator model: keys in, the generator's own state out. */

const generators: InProcessGenerator[] = [];
const sessions: LiveSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const g of generators.splice(0)) g.close();
});

function start(config: Partial<GeneratorConfig> = {}) {
  const targets: ConnectTarget[] = [];
  const made: InProcessGenerator[] = [];
  const session = new LiveSession({
    dwellMs: 0,
    initial: {},
    openLink: (target) => {
      targets.push(target);
      const generator = createInProcessGenerator({ config });
      generators.push(generator);
      made.push(generator);
      return new SerialGeneratorLink({ opener: inProcessOpener(generator) });
    },
  });
  sessions.push(session);
  const model = () => made[made.length - 1]!.server.model;
  const send = async (...intents: SessionRequest[]) => {
    for (const intent of intents) session.send(intent);
    await session.idle();
  };
  return { session, model, made, targets, send };
}

describe('live session', () => {
  it('connects to the built-in simulator and says so', async () => {
    const { session } = start();
    await until(
      () => session.getView().link.status === 'connected' && session.getView().generator !== null,
      'connection',
    );
    const v = session.getView();
    expect(v.link.source).toBe('simulator');
    expect(v.generator?.output).toBe('off');
    expect(v.limits?.contactCount).toBe(8);
  });

  it('keys drive the generator through the machine; STOP turns its output off', async () => {
    const { session, model, send } = start();
    await until(() => session.getView().generator !== null, 'connection');
    await send(
      { type: 'ELECTRODES', spec: '-+000000' },
      { type: 'SEARCH_START' },
      { type: 'AMPLITUDE_UP' },
      { type: 'AMPLITUDE_UP' },
    );
    expect(model().state).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 100, contacts: '-+000000' });
    expect(session.getView().search.active).toBe(true);
    expect(session.getView().impedance?.flagged).toEqual([]);
    session.send({ type: 'STOP' });
    await until(() => model().state.output === 'off', 'generator output off');
    await until(() => session.getView().generator?.output === 'off', 'screen shows output off');
  });

  it('rate and pulse width keys move one generator step; the machine clamps and the notice shows', async () => {
    const { session, model, send } = start();
    await until(() => session.getView().generator !== null, 'connection');
    await send({ type: 'RATE_UP' });
    expect(model().state.rateHz).toBe(51);
    await send({ type: 'PULSE_WIDTH_DOWN' });
    expect(model().state.pulseWidthUs).toBe(200);
    expect(session.getView().lastNotice?.kind).toBe('clamp');
    expect(session.getView().lastNotice?.text).toMatch(/^Pulse width: 190 µs asked, 200 µs applied/);
  });

  it('stamps each notice with when the screen first saw it, and keeps that time (issue 13: its age)', async () => {
    const before = Date.now();
    const { session, send } = start();
    await until(() => session.getView().generator !== null, 'connection');
    await send({ type: 'PULSE_WIDTH_DOWN' });
    const at = session.getView().lastNotice?.at;
    expect(at).toBeDefined();
    expect(Date.parse(at!)).toBeGreaterThanOrEqual(before);
    await send({ type: 'RATE_UP' }); // more views of the same notice history
    await new Promise((r) => setTimeout(r, 30));
    expect(session.getView().lastNotice?.at).toBe(at);
  });

  it('patient mode keys reach the session with their on/off', async () => {
    const { session, send } = start();
    await until(() => session.getView().generator !== null, 'connection');
    // No thresholds measured: no patient window, so `on` is refused with that reason (bb4-L3).
    await send({ type: 'PATIENT_MODE', on: true });
    expect(session.getView().patientMode).toBe(false);
    expect(session.getView().lastNotice?.text).toMatch(/no patient window/);
    await send({ type: 'PATIENT_MODE', on: false });
    expect(session.getView().patientMode).toBe(false);
  });

  it('shows the contacts the impedance check flags', async () => {
    const { session, send } = start({ impedances: [900, 900, 'open', 900, 'short'] });
    await until(() => session.getView().generator !== null, 'connection');
    await send({ type: 'ELECTRODES', spec: '-+000000' }, { type: 'SEARCH_START' });
    expect(session.getView().impedance?.flagged).toEqual([3, 5]);
    expect(session.getView().lastNotice?.kind).toBe('warn');
  });

  it('the i key (IMPEDANCE_CHECK) shows the check the session made, without starting a search', async () => {
    const { session, model, send } = start({ impedances: [900, 'short'] });
    await until(() => session.getView().generator !== null, 'connection');
    expect(session.getView().impedance).toBeNull();
    await send({ type: 'IMPEDANCE_CHECK' });
    expect(session.getView().impedance).toMatchObject({ flagged: [2], ohms: expect.arrayContaining([900, 'short']) });
    expect(model().state.output).toBe('off');
    expect(session.getView().search.active).toBe(false);
  });

  it('switching generators stops the old one first', async () => {
    const { session, made, targets, send } = start();
    await until(() => session.getView().generator !== null, 'connection');
    await send({ type: 'ELECTRODES', spec: '-+000000' }, { type: 'SEARCH_START' }, { type: 'AMPLITUDE_UP' });
    expect(made[0]!.server.model.state.output).toBe('on');
    session.connect({ port: '/dev/pts/99', baud: 9600 });
    await until(() => made.length === 2 && session.getView().generator !== null, 'second connection');
    const old = made[0]!.server.model;
    expect(old.state.output).toBe('off');
    // Off by an explicit STOP, not by the old generator's watchdog after the cable went.
    expect(old.executions.map((e) => e.type)).toContain('STOP');
    expect(targets).toEqual([{}, { port: '/dev/pts/99', baud: 9600 }]);
  });

  it('flags open and shorted contacts only', () => {
    expect(flaggedContacts([800, 'open', 1200, 'short'])).toEqual([2, 4]);
  });
});
