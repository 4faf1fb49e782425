import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGeneratorServer } from '../../firmware-sim/generator-server.js';
import type { Execution } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type Reply, type Request } from '../../protocol/index.js';
import { CapturingStream } from './capturing-stream.js';

/**
 * PROTOCOL.md §3 as a property over the real codec and the real generator server: companions send
 * SET, OUTPUT, STOP and HB; the "network" holds any line back for any number of later lines, delivers
 * it late, twice, or never, across reconnects (new HELLO, same cid), new companions (new cid) and
 * generator resets. Whatever the schedule:
 * - a SET or OUTPUT runs at most once;
 * - never after a newer request of its session (seq strictly increasing among what ran);
 * - only in the session that is open when it runs (never a line of an older session or companion).
 */

type Action =
  | { kind: 'send'; what: 'SET' | 'OUTPUT_ON' | 'OUTPUT_OFF' | 'STOP' | 'HB'; hold: boolean; amp: number }
  | { kind: 'deliver'; pick: number; keep: boolean }
  | { kind: 'reconnect' }
  | { kind: 'newCompanion' }
  | { kind: 'reset' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      what: fc.constantFrom(
        'SET' as const,
        'OUTPUT_ON' as const,
        'OUTPUT_OFF' as const,
        'STOP' as const,
        'HB' as const,
      ),
      hold: fc.boolean(),
      amp: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), keep: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'newCompanion' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

interface Companion {
  cid: string;
  seq: number;
  sess: string | undefined;
  rev: number;
}

function run(actions: Action[], startSeq: number): { executions: Execution[]; sessionAt: (string | undefined)[] } {
  let clock = 0;
  let ids = 0;
  const server = createGeneratorServer({
    telemetryHz: 0,
    tickMs: 3_600_000,
    now: () => clock,
    config: { newSessionId: () => (0x5e550000 + ids++).toString(16), watchdogMs: 3_600_000 },
  });
  const stream = new CapturingStream();
  server.attach(stream as never);
  const model = server.model;
  /** The session open when each execution ran (index-aligned with model.executions). */
  const sessionAt: (string | undefined)[] = [];
  const original = model.handle.bind(model);
  model.handle = (request: Request, nowMs: number): Reply => {
    const before = model.executions.length;
    const reply = original(request, nowMs);
    for (let i = before; i < model.executions.length; i++) sessionAt.push(model.session?.sess);
    return reply;
  };
  const wire = (line: string) => stream.emit('data', Buffer.from(`${line}\n`, 'latin1'));
  const lastReply = (): Reply | undefined => {
    const d = decodeMessage(stream.written.at(-1) ?? '');
    return d.ok && (d.message.type === 'ACK' || d.message.type === 'NAK') ? d.message : undefined;
  };
  let cids = 0;
  const newCompanion = (): Companion => ({
    cid: (0xc0000000 + cids++).toString(16),
    seq: startSeq,
    sess: undefined,
    rev: 0,
  });
  const hello = (c: Companion) => {
    wire(encodeMessage({ type: 'HELLO', seq: ++c.seq, proto: PROTOCOL_VERSION, cid: c.cid }));
    const r = lastReply();
    c.sess = r?.type === 'ACK' && r.of === 'HELLO' ? r.session : undefined;
    c.rev = model.state.programRev;
  };
  let c = newCompanion();
  hello(c);
  const held: string[] = [];
  for (const a of actions) {
    clock += 10;
    if (a.kind === 'reconnect') hello(c);
    else if (a.kind === 'newCompanion') hello((c = newCompanion()));
    else if (a.kind === 'reset') server.reset();
    else if (a.kind === 'deliver') {
      if (held.length === 0) continue;
      const i = a.pick % held.length;
      wire(held[i]!);
      if (!a.keep) held.splice(i, 1);
    } else {
      const seq = ++c.seq;
      const stamp = { sess: c.sess ?? '00000000', rev: c.rev };
      const request: Request =
        a.what === 'SET'
          ? { type: 'SET', seq, ...stamp, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 50 * a.amp, contacts: '+-000000' }
          : a.what === 'OUTPUT_ON'
            ? { type: 'OUTPUT', seq, ...stamp, on: true, mode: 'test' }
            : a.what === 'OUTPUT_OFF'
              ? { type: 'OUTPUT', seq, ...stamp, on: false, mode: 'test' }
              : a.what === 'STOP'
                ? { type: 'STOP', seq, ...(c.sess ? { sess: c.sess } : {}) }
                : { type: 'HB', seq };
      const line = encodeMessage(request);
      // Held lines arrive later (any number of lines later), or never; a sent line may also arrive now and again later.
      if (a.hold) held.push(line);
      else {
        wire(line);
        const r = lastReply();
        if (r?.type === 'ACK' && 'state' in r) c.rev = r.state.programRev;
        if (r?.type === 'ACK' && r.of === 'STOP') c.rev = r.rev;
      }
    }
  }
  server.close();
  return { executions: [...model.executions], sessionAt };
}

export function checkOrder(executions: Execution[], sessionAt: (string | undefined)[]): void {
  const ran = new Set<string>();
  const newest = new Map<string, number>();
  executions.forEach((e, i) => {
    if (e.type !== 'SET' && e.type !== 'OUTPUT' && !(e.type === 'STOP' && e.sess)) return;
    const key = `${e.sess} ${e.seq}`;
    // STOP and OUTPUT on=0 always run (turning output off is always safe, §4.4/§4.5); they only count in the order.
    const offOnly = e.type === 'STOP' || (e.type === 'OUTPUT' && e.on === false);
    if (!offOnly) {
      expect(ran.has(key), `${e.type} ${key} ran twice`).toBe(false);
      ran.add(key);
      expect(e.sess, `${e.type} ${key} ran outside the open session ${sessionAt[i]}`).toBe(sessionAt[i]);
      expect(e.seq, `${e.type} ${key} ran after seq ${newest.get(e.sess!)} of its session`).toBeGreaterThan(
        newest.get(e.sess!) ?? 0,
      );
    }
    if (e.sess === sessionAt[i]) newest.set(e.sess!, Math.max(newest.get(e.sess!) ?? 0, e.seq));
  });
}

describe('PROTOCOL.md §3: at most once, never after something newer, never outside its session', () => {
  it('property: any delays, duplicates, reorderings, reconnects, new companions and resets', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb, { minLength: 1, maxLength: 120 }),
        fc.constantFrom(0, 500_000, 999_990_000),
        (actions, startSeq) => {
          const { executions, sessionAt } = run(actions, startSeq);
          checkOrder(executions, sessionAt);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a held SET released after 64 newer requests (longer than any cache) does not run', () => {
    const actions: Action[] = [
      { kind: 'send', what: 'SET', hold: false, amp: 1 },
      { kind: 'send', what: 'SET', hold: true, amp: 30 },
      ...Array.from({ length: 64 }, (_, i): Action => ({
        kind: 'send',
        what: i % 2 ? 'HB' : 'SET',
        hold: false,
        amp: 2,
      })),
      { kind: 'deliver', pick: 0, keep: false },
    ];
    const { executions, sessionAt } = run(actions, 0);
    checkOrder(executions, sessionAt);
    expect(executions.filter((e) => e.type === 'SET')).toHaveLength(33);
  });

  it('the check itself catches a late execution (it is not vacuous)', () => {
    const late: Execution[] = [
      { type: 'SET', seq: 5, sess: 'aaaaaaaa', atMs: 0 },
      { type: 'SET', seq: 4, sess: 'aaaaaaaa', atMs: 1 },
    ];
    expect(() => checkOrder(late, ['aaaaaaaa', 'aaaaaaaa'])).toThrow(/ran after seq 5/);
    expect(() => checkOrder([late[0]!, late[0]!], ['aaaaaaaa', 'aaaaaaaa'])).toThrow(/twice/);
    expect(() => checkOrder([late[0]!], ['bbbbbbbb'])).toThrow(/outside the open session/);
  });
});
