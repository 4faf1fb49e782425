import type { AnyStateNode, AnyTransitionDefinition, InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DisconnectedError, NakError } from '../../src/link/generator-link.js';
import { sessionMachine } from '../../src/session/session-machine.js';
import { INTENT_TYPES, type Intent } from '../../src/session/session-types.js';
import { harness, measured, type Harness } from './harness.js';

/**
 * Every state and every transition of the session machine is taken by some scenario below, and
 * from every state STOP reaches output off (H2: no mode without a way back).
 */

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((n) => allNodes(n as AnyStateNode))];
}
const nodes = allNodes(sessionMachine.root);
const universe: AnyTransitionDefinition[] = nodes.flatMap((n) => [
  ...[...n.transitions.values()].flat(),
  ...(n.always ?? []),
]);
const label = (t: AnyTransitionDefinition) =>
  `${t.source.id} --${t.eventType}${t.guard ? ` [${typeof t.guard === 'string' ? t.guard : ((t.guard as { type?: string }).type ?? 'guard')}]` : ''}--> ${t.target?.map((x) => x.id).join(',') ?? '(self)'}`;

const taken = new Set<AnyTransitionDefinition>();
const visited = new Set<string>();
const inspect = (e: InspectionEvent) => {
  if (e.type === '@xstate.microstep') {
    for (const t of e._transitions) {
      taken.add(t);
      // Transient states (route, afterHandshake) never settle into a snapshot: count their entry.
      for (const target of t.target ?? []) visited.add(target.key);
    }
  }
  if (e.type === '@xstate.snapshot' && 'value' in e.snapshot)
    visited.add(String((e.snapshot as { value: unknown }).value));
};
const make = (o: Parameters<typeof harness>[0] = {}) => harness({ ...o, inspect });

const intentOf = (type: Intent['type']): Intent => {
  switch (type) {
    case 'ELECTRODES':
      return { type, spec: ['3-', '4+'] };
    case 'POSTURE':
      return { type, posture: 'sitting' };
    case 'RATE':
      return { type, hz: 45 };
    case 'PULSE_WIDTH':
      return { type, us: 250 };
    case 'AMPLITUDE_SET':
      return { type, ma: 1.2 };
    case 'PATIENT_MODE':
      return { type, on: true };
    case 'PATIENT_WINDOW':
      return { type, minMa: 1, maxMa: 2 };
    default:
      return { type } as Intent;
  }
};

/** Ways to bring a fresh session into each stable state. */
const reach: Record<string, (h: Harness) => Promise<void>> = {
  ready: async () => {},
  search: async (h) => {
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
  },
  tuning: (h) => measured(h, 4, 4),
  therapy: async (h) => {
    await measured(h, 4, 4);
    await h.do({ type: 'COMMIT' });
  },
};

describe('session machine graph', () => {
  it('STOP from every stable state reaches generator-confirmed output off', async () => {
    for (const [name, go] of Object.entries(reach)) {
      const h = await make();
      await go(h);
      expect(h.c.view().state).toBe(name);
      await h.do({ type: 'STOP' });
      expect(h.link.model.state.output).toBe('off');
    }
  });

  it('every state and transition is reached', async () => {
    // Each intent in each stable state, and each intent while the machine is busy.
    for (const go of Object.values(reach)) {
      for (const type of INTENT_TYPES) {
        const h = await make();
        await go(h);
        await h.do(intentOf(type));
        h.c.send({ type: 'AMPLITUDE_UP' });
        h.c.send(intentOf(type)); // arrives while busy (or settles at once)
        await h.flush();
        await h.do({ type: 'REFRESH' });
        h.link.emitTelemetry({ ...h.link.model.state, batteryPct: 50 });
        h.link.emitTelemetry({ ...h.link.model.state, amplitudeUa: h.link.model.state.amplitudeUa + 50 });
        await h.flush();
        h.link.emitError(new Error('line noise'));
        h.link.external({ ...h.link.model.state });
        await h.flush();
        await h.do({ type: 'REBIND' });
      }
    }
    // Each intent while a request is in flight.
    for (const type of INTENT_TYPES) {
      const h = await make();
      await reach.search!(h);
      h.c.send({ type: 'AMPLITUDE_UP' });
      const r = h.c.view().outcome;
      h.c.send(intentOf(type));
      expect(h.c.view().outcome).not.toBe(r);
      await h.flush();
    }
    // H4: a ramp (more than one step up), and everything that can happen while it runs.
    for (const type of INTENT_TYPES) {
      const h = await make();
      await measured(h, 4, 4);
      h.c.send({ type: 'AMPLITUDE_SET', ma: 9 });
      expect(h.c.view().state).toBe('ramping');
      h.c.send(intentOf(type));
      await h.flush();
    }
    for (const fault of ['telemetry', 'event', 'nak', 'down', 'done'] as const) {
      const h = await make();
      await measured(h, 4, 4);
      if (fault === 'nak') h.link.failNext('setProgram', new NakError(20, 'refused'));
      if (fault === 'down') h.link.failNext('setProgram', new DisconnectedError('gone'));
      h.c.send({ type: 'AMPLITUDE_SET', ma: 9 });
      if (fault === 'telemetry')
        h.link.emitTelemetry({ ...h.link.model.state, amplitudeUa: h.link.model.state.amplitudeUa + 50 });
      if (fault === 'event') h.link.external({ ...h.link.model.state });
      await h.flush();
      await h.c.settled();
    }
    // A program-changed event while a request is in flight is not dropped: the re-read after the
    // request warns about the change (H17), whatever became of the request.
    {
      const h = await make();
      await reach.search!(h);
      h.c.send({ type: 'AMPLITUDE_UP' });
      const { rateHz, pulseWidthUs, amplitudeUa, contacts } = h.link.model.state;
      h.link.external({ rateHz, pulseWidthUs, amplitudeUa: amplitudeUa + 100, contacts });
      await h.flush();
      await h.c.settled();
      expect(
        h.c.view().notices.some((n) => n.field === 'program' && /changed outside the companion/.test(n.reason)),
      ).toBe(true);
    }
    // ... also during a request that runs into no refusal (a measurement): the re-read follows it.
    {
      const h = await make();
      await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
      h.c.send({ type: 'IMPEDANCE_CHECK' });
      const { rateHz, pulseWidthUs, amplitudeUa, contacts } = h.link.model.state;
      h.link.external({ rateHz, pulseWidthUs, amplitudeUa: amplitudeUa + 100, contacts });
      await h.flush();
      await h.c.settled();
      expect(
        h.c.view().notices.some((n) => n.field === 'program' && /changed outside the companion/.test(n.reason)),
      ).toBe(true);
    }
    // A stop event while a request is in flight: the re-read after the request checks it against the
    // state (bb4-F8: the state says output on here, so it is not told as a stop).
    {
      const h = await make();
      await reach.search!(h);
      h.c.send({ type: 'AMPLITUDE_UP' });
      h.link.deliverEvent({ type: 'EVT', kind: 'stopped', reason: 'link-loss' });
      await h.flush();
      await h.c.settled();
      expect(h.c.view().notices.some((n) => /stopped its output by itself/.test(n.reason))).toBe(false);
      expect(h.link.model.state.output).toBe('on');
    }
    // A copy of an event already told arrives during a ramp: no surprise, the ramp goes on.
    {
      const h = await make();
      await measured(h, 4, 20);
      const low = { type: 'EVT', kind: 'battery', reason: 'low' } as const;
      h.link.deliverEvent(low);
      await h.flush();
      await h.c.settled();
      const original = h.link.setProgram.bind(h.link);
      h.link.setProgram = async (program) => {
        h.link.setProgram = original;
        h.link.deliverEvent(low);
        return original(program);
      };
      await h.do({ type: 'AMPLITUDE_SET', ma: 1 });
      expect(h.link.model.state.amplitudeUa).toBe(1000);
    }
    // STOP while the link is down: held in linkLost, answered at once (a script line never blocks on it).
    {
      const h = await make();
      await reach.tuning!(h);
      h.link.drop();
      await h.flush();
      const held = await h.do({ type: 'STOP' });
      expect(held.accepted).toBe(false);
      expect(h.c.view().state).toBe('linkLost');
      h.link.restore();
      await h.flush();
      await h.c.settled();
      expect(h.link.model.state.output).toBe('off');
    }
    // A STOP held while the link is down, then a reset: the held STOP goes first, and the re-read after
    // it still tells what the reset did (bb4-F11).
    {
      const h = await make();
      await reach.tuning!(h);
      h.link.drop();
      await h.flush();
      await h.do({ type: 'STOP' });
      h.link.reset();
      await h.flush();
      await h.c.settled();
      expect(h.c.view().notices.some((n) => /The generator was reset/.test(n.reason))).toBe(true);
    }
    // STOP while connecting, when neither connect nor stop succeeds.
    {
      const h = await make({ connect: false });
      h.link.failConnect = new DisconnectedError('no port');
      h.link.failNext('stop', new DisconnectedError('no port'));
      h.c.send({ type: 'CONNECT' });
      h.c.send({ type: 'STOP' });
      await h.flush();
      expect(h.c.view().state).toBe('disconnected');
    }
    // Blocked: a different generator; every intent refused there, then re-bind.
    for (const type of INTENT_TYPES) {
      const h = await make({ input: { binding: { serial: 'OTHER-1', proto: 1 } } });
      await h.do(intentOf(type));
      h.link.emitTelemetry(h.link.model.state);
      h.link.emitTelemetry({ ...h.link.model.state, rateHz: 51 });
      await h.flush();
      h.link.external({ ...h.link.model.state });
      await h.flush();
      await h.do({ type: 'REFRESH' });
      await h.do({ type: 'REBIND' });
    }
    // Connecting: fails; STOP before and during connecting; link events during connecting.
    {
      const h = await make({ connect: false });
      h.link.failConnect = new DisconnectedError('no port');
      await h.do({ type: 'CONNECT' });
      expect(h.c.view().state).toBe('disconnected');
      h.c.send({ type: 'AMPLITUDE_UP' });
      h.c.send({ type: 'OUTPUT_OFF' });
      h.c.send({ type: 'STOP' });
      h.link.failNext('stop', new DisconnectedError('no port'));
      h.c.send({ type: 'CONNECT' });
      h.c.send({ type: 'STOP' });
      await h.flush();
      await h.do({ type: 'CONNECT' });
      h.link.drop();
      await h.flush();
      h.c.send({ type: 'CONNECT' });
      await h.flush();
    }
    // Failures of each request: NAK (re-read) and link down (link lost).
    const failing: Array<[Parameters<Harness['link']['failNext']>[0], Intent, (h: Harness) => Promise<void>]> = [
      ['setProgram', { type: 'AMPLITUDE_UP' }, reach.search!],
      [
        'measureImpedance',
        { type: 'SEARCH_START' },
        async (h) => void (await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] })),
      ],
      ['measureImpedance', { type: 'IMPEDANCE_CHECK' }, async () => {}],
      ['readState', { type: 'REFRESH' } as unknown as Intent, async () => {}],
    ];
    for (const [method, intent, go] of failing) {
      for (const error of [new NakError(20, 'refused'), new DisconnectedError('gone')]) {
        const h = await make();
        await go(h);
        h.link.failNext(method, error);
        h.c.send(intent);
        await h.flush();
        h.link.restore();
        await h.flush();
      }
    }
    {
      const h = await make();
      await reach.search!(h);
      h.link.failNext('stop', new DisconnectedError('gone'));
      await h.do({ type: 'STOP' });
      expect(h.c.view().state).toBe('linkLost');
      await h.do({ type: 'OUTPUT_OFF' });
      h.link.drop();
      h.link.restore();
      await h.c.settled();
      h.link.reset();
      await h.c.settled();
    }
    // A STOP whose reply is refused while the link stays up: re-read (issue 13).
    {
      const h = await make();
      await reach.search!(h);
      h.link.failNext('stop', new NakError(99, 'garbled'));
      await h.do({ type: 'STOP' });
      await h.c.settled();
    }
    // A difference between expected and reported state (H10/H17), acknowledged.
    {
      const h = await make();
      await measured(h, 4, 4);
      h.link.external({ ...h.link.model.state, amplitudeUa: h.link.model.state.amplitudeUa + 50 });
      await h.flush();
      await h.c.settled();
      await h.do({ type: 'ACKNOWLEDGE_MISMATCH' });
    }
    // An open contact: the search is refused after the impedance check.
    {
      const h = await make({ config: { impedances: ['open'] } });
      await reach.search!(h);
      await h.do({ type: 'IMPEDANCE_CHECK' });
    }

    const states = nodes.filter((n) => n !== sessionMachine.root).map((n) => n.key);
    expect(states.filter((s) => !visited.has(s))).toEqual([]);
    const missing = universe.filter((t) => !taken.has(t)).map(label);
    expect(missing).toEqual([]);
  });
});
