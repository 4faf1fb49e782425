import fc from 'fast-check';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CANCEL, LineSplitter, decodeMessage, type Request } from '../../protocol/index.js';
import { StaleCommandError } from '../../src/link/generator-link.js';
import { emptyLinkStats } from '../../src/link/link-stats.js';
import { PACE_AHEAD_MS } from '../../src/link/paced-wire.js';
import { RequestChannel } from '../../src/link/request-channel.js';
import { FAST } from './link-test-kit.js';
import { manualWireClock } from './manual-wire-clock.js';

/**
 * PROTOCOL.md §4.5, host side: over random interleavings of writes, reads, STOPs and time on a paced
 * serial line, the bytes the generator receives — read with the protocol's own LineSplitter, which the
 * generator uses (CAN discards a partial line, §2) — hold no request the channel settled as cut, every
 * other write whole, every read and every STOP whole; and no STOP waited behind more than PACE_AHEAD_MS
 * of the companion's own bytes.
 */

const BAUD = 115200;
const BYTE_MS = 10_000 / BAUD;
const SESS = '5e55a002';

type Step = { kind: 'set' | 'output' | 'hb' | 'stop' } | { kind: 'time'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>({ kind: 'set' }, { kind: 'output' }, { kind: 'hb' }, { kind: 'stop' }),
  fc.integer({ min: 0, max: 120 }).map<Step>((tenths) => ({ kind: 'time', ms: tenths / 10 })),
);

function request(kind: 'set' | 'output' | 'hb' | 'stop', seq: number): Request {
  if (kind === 'set')
    return {
      type: 'SET',
      seq,
      sess: SESS,
      rev: 7,
      rateHz: 50,
      pulseWidthUs: 300,
      amplitudeUa: 1500,
      contacts: '+-000000',
    };
  if (kind === 'output') return { type: 'OUTPUT', seq, sess: SESS, rev: 7, on: true, mode: 'test' };
  return { type: kind === 'hb' ? 'HB' : 'STOP', seq, sess: SESS };
}

async function run(steps: Step[]) {
  const clock = manualWireClock();
  const writes: { at: number; bytes: Buffer }[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      writes.push({ at: clock.now(), bytes: chunk });
      callback();
    },
  });
  const connection = { stream, pacing: { baud: BAUD, clock }, close: async () => void stream.destroy() };
  // No replies ever come: a reply timeout far beyond the run keeps every copy single (no retransmission).
  const timing = { ...FAST, requestTimeoutMs: 60_000 };
  const channel = new RequestChannel(connection, timing, emptyLinkStats(), { onUnsolicited() {}, onLost() {} });
  const sent: Request[] = [];
  const cut = new Set<number>();
  const settled: Promise<unknown>[] = [];
  let seq = 100;
  for (const s of steps) {
    if (s.kind === 'time') {
      clock.advance(s.ms);
      continue;
    }
    const r = request(s.kind, seq++);
    sent.push(r);
    settled.push(
      channel.send(r, 0).catch((e: Error) => {
        if (e instanceof StaleCommandError && /not executed/.test(e.message)) cut.add(r.seq);
      }),
    );
  }
  clock.advance(1000);
  await channel.close('end of run');
  await Promise.all(settled);
  return { sent, cut, writes };
}

/** Lines as the generator reads them (protocol LineSplitter: CAN discards the partial line before it). */
function generatorLines(bytes: Buffer): Request[] {
  const lines: Request[] = [];
  const splitter = new LineSplitter((line) => {
    const decoded = decodeMessage(line);
    if (decoded.ok) lines.push(decoded.message as Request);
  });
  splitter.push(bytes);
  return lines;
}

/** For each STOP written: the wire time of the non-STOP bytes still queued ahead of it (a FIFO draining at BAUD). */
function aheadOfEachStop(writes: { at: number; bytes: Buffer }[]): number[] {
  const queue: { bytes: number; stop: boolean }[] = [];
  const ahead: number[] = [];
  let at = 0;
  for (const w of writes) {
    let sent = (w.at - at) / BYTE_MS;
    at = w.at;
    while (sent > 0 && queue.length > 0) {
      const head = queue[0]!;
      const n = Math.min(sent, head.bytes);
      head.bytes -= n;
      sent -= n;
      if (head.bytes <= 1e-9) queue.shift();
    }
    const stop = w.bytes[0] === CANCEL.charCodeAt(0) && w.bytes.toString('latin1', 1, 6) === 'STOP ';
    if (stop) ahead.push(queue.filter((q) => !q.stop).reduce((sum, q) => sum + q.bytes, 0) * BYTE_MS);
    queue.push({ bytes: w.bytes.length, stop });
  }
  return ahead;
}

describe('property: a STOP cuts only what never reaches the generator whole (§4.5, host side)', () => {
  it('no cut request runs; every other write, every read and every STOP arrive whole; a STOP waits ≤ PACE_AHEAD_MS', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { sent, cut, writes } = await run(steps);
        const received = generatorLines(Buffer.concat(writes.map((w) => w.bytes)));
        const seqs = received.map((m) => m.seq);
        for (const r of sent) {
          const times = seqs.filter((s) => s === r.seq).length;
          if (cut.has(r.seq)) {
            expect(r.type === 'SET' || r.type === 'OUTPUT', `only writes are cut, not ${r.type}`).toBe(true);
            expect(times, `${r.type} seq ${r.seq} was cut but reached the generator`).toBe(0);
          } else expect(times, `${r.type} seq ${r.seq} arrived ${times} times`).toBe(1);
        }
        // Nothing decided before a STOP reaches the generator after it (a cut write is never re-sent, F-L6).
        received.forEach((m, i) => {
          if (m.type !== 'SET' && m.type !== 'OUTPUT') return;
          const laterStop = received.findIndex((o) => o.type === 'STOP' && o.seq > m.seq);
          if (laterStop >= 0) expect(i, `${m.type} seq ${m.seq} after a newer STOP`).toBeLessThan(laterStop);
        });
        // Every STOP was written at once: of our other bytes the OS still held at most PACE_AHEAD_MS of wire
        // then (an earlier STOP, itself written at once, may be ahead of it: STOPs keep their order).
        for (const ahead of aheadOfEachStop(writes)) expect(ahead).toBeLessThanOrEqual(PACE_AHEAD_MS + 1e-6);
      }),
      { numRuns: 200 },
    );
  });
});
