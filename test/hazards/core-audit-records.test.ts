import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NakError } from '../../src/link/generator-link.js';
import { auditRecordFor, type AuditKind } from '../../src/session/audit-records.js';
import { chargeDensityReport } from '../../src/session/density-report.js';
import { notice } from '../../src/session/notice.js';
import { initialContext, type SessionContext } from '../../src/session/session-context.js';
import { gen, limits, mismatch } from './decider-fixtures.js';

/**
 * The audit record of each kind of step (src/session/audit-records.ts): what the session's audit log
 * keeps of a decision, a read-back, a fault, a reconnection, a battery warning. The log is the trial's
 * record of what the companion asked and what the generator did, so each kind is pinned field by field.
 */

const identity = { proto: 1, firmware: 'sim-1.0', serial: 'SN-1', bootId: '0000abcd' };
const n = (reason: string) => notice('info', 'session', null, null, reason);
const outcome = { intent: 'AMPLITUDE_UP', accepted: true, notices: [n('up')] };
const readings = [800, 'open' as const, 1000, 1000, 1000, 1000, 1000, 1000];
const ctx = (over: Partial<SessionContext> = {}): SessionContext => ({
  ...initialContext({ link: { description: 'fake', stop: async () => gen() } as never, clock: () => 5000 }),
  limits,
  generator: gen({ output: 'on', amplitudeUa: 3000 }),
  linkStatus: 'connected',
  identity,
  binding: { serial: 'SN-1', proto: 1 },
  notices: [n('a'), n('b'), n('c'), n('d')],
  outcome,
  mismatch,
  pending: {
    ops: [{ op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3050, contacts: '-+000000' } }],
    next: 'tuning',
  },
  impedance: { readings, flagged: [2], at: 4000, contacts: '-+000000' },
  ...over,
});
const event = { type: 'AMPLITUDE_UP' };
const programOnGenerator = (c: SessionContext) => ({
  generator: c.generator,
  notices: [n('b'), n('c'), n('d')],
  chargeDensity: chargeDensityReport(c),
});

describe('auditRecordFor', () => {
  it('a STOP and a re-bind: the event and what became of the last intent', () => {
    expect(auditRecordFor.stop(ctx(), { type: 'STOP' })).toEqual({ kind: 'stop', event: 'STOP', outcome });
    expect(auditRecordFor.rebind(ctx(), { type: 'REBIND' })).toEqual({ kind: 'rebind', event: 'REBIND', outcome });
  });

  it('a decision keeps the operations it sends, none when nothing is pending', () => {
    const c = ctx();
    expect(auditRecordFor.decision(c, event)).toEqual({
      kind: 'decision',
      event: 'AMPLITUDE_UP',
      outcome,
      ops: c.pending!.ops,
    });
    expect(auditRecordFor.decision(ctx({ pending: null }), event)).toEqual({
      kind: 'decision',
      event: 'AMPLITUDE_UP',
      outcome,
      ops: [],
    });
  });

  it("a read-back (applied, stopped) keeps the generator's state, the last three notices and the charge density", () => {
    const c = ctx();
    const done = { type: 'xstate.done.actor.0.session.applying' };
    expect(chargeDensityReport(c)).not.toBeNull();
    expect(auditRecordFor.applied(c, done)).toEqual({
      kind: 'applied',
      event: done.type,
      outcome,
      ...programOnGenerator(c),
    });
    expect(auditRecordFor.stopped(c, done)).toEqual({
      kind: 'stopped',
      event: done.type,
      outcome,
      ...programOnGenerator(c),
    });
  });

  it('a re-read also keeps the difference between screen and generator (H10/H17)', () => {
    const c = ctx();
    expect(auditRecordFor.sync(c, event)).toEqual({
      kind: 'sync',
      event: 'AMPLITUDE_UP',
      outcome,
      ...programOnGenerator(c),
      mismatch,
    });
    expect(auditRecordFor.acknowledge(c, { type: 'ACKNOWLEDGE_MISMATCH' })).toEqual({
      kind: 'acknowledge',
      event: 'ACKNOWLEDGE_MISMATCH',
      outcome,
      mismatch,
    });
  });

  it('an impedance check keeps the readings', () => {
    const c = ctx();
    expect(auditRecordFor.impedance(c, event)).toEqual({
      kind: 'impedance',
      event: 'AMPLITUDE_UP',
      outcome,
      impedance: c.impedance,
    });
  });

  it('a fault names the error (its class and message) and keeps the mismatch', () => {
    const failed = { type: 'xstate.error.actor.0.session.applying', error: new NakError(3, 'amplitude out of range') };
    expect(auditRecordFor.fault(ctx(), failed)).toEqual({
      kind: 'fault',
      event: failed.type,
      outcome,
      error: `NakError: ${failed.error.message}`,
      mismatch,
    });
    expect(auditRecordFor.fault(ctx(), { type: 'LINK_ERROR', error: 'line noise' }).error).toBe('line noise');
  });

  it('a (re)connection keeps the link status, identity, binding, generator and the last three notices', () => {
    const c = ctx();
    expect(auditRecordFor.link(c, { type: 'LINK_HANDSHAKE' })).toEqual({
      kind: 'link',
      event: 'LINK_HANDSHAKE',
      outcome,
      status: 'connected',
      identity,
      binding: { serial: 'SN-1', proto: 1 },
      generator: c.generator,
      notices: [n('b'), n('c'), n('d')],
    });
  });

  it("a battery warning keeps the warnings and the estimate, not an intent's outcome (H15)", () => {
    const warning = notice('warn', 'battery', null, 28, 'battery low');
    const c = ctx();
    c.battery = { ...c.battery, pct: 28, remainingMs: 3_600_000, lastWarnings: [warning] };
    expect(auditRecordFor.battery(c, { type: 'LINK_TELEMETRY' })).toEqual({
      kind: 'battery',
      event: 'LINK_TELEMETRY',
      notices: [warning],
      battery: { pct: 28, remainingMs: 3_600_000 },
    });
  });

  it('property: every record names its kind and event, answers with the outcome (battery aside), and is plain data', () => {
    const kinds = Object.keys(auditRecordFor) as AuditKind[];
    const outcomes = fc.option(
      fc.record({
        intent: fc.string(),
        accepted: fc.boolean(),
        notices: fc.array(fc.string(), { maxLength: 3 }).map((rs) => rs.map(n)),
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.string({ minLength: 1 }),
        outcomes,
        fc.boolean(),
        (kind, type, out, hasPending) => {
          const c = ctx({ outcome: out, ...(hasPending ? {} : { pending: null }) });
          const record = auditRecordFor[kind](c, { type, error: new Error('x') });
          expect(record.kind).toBe(kind);
          expect(record.event).toBe(type);
          expect('outcome' in record).toBe(kind !== 'battery');
          if (kind !== 'battery') expect(record.outcome).toEqual(out);
          // The log is JSON: nothing of the context that is not data (link, clock, audit sink) may reach it.
          expect(JSON.parse(JSON.stringify(record))).toEqual(record);
        },
      ),
    );
  });
});
