import { describe, expect, it } from 'vitest';
import { TransmitQueue, transmitRank } from '../../firmware-sim/transmit-queue.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type Message, type Request } from '../../protocol/index.js';
import { capturedServer } from './capturing-stream.js';

/**
 * PROTOCOL.md §3.1/§4.5: replies leave in request order EXCEPT STOP's ACK, which goes ahead of every
 * line still queued in the generator's output (never one already on the wire); the host matches it by seq.
 */

const SESS = '5e55a0a1';
const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1000, contacts: '+-000000' };

function decoded(line: string): Message {
  const d = decodeMessage(line);
  if (!d.ok) throw new Error(`undecodable line ${line}`);
  return d.message;
}

describe("STOP's ACK overtakes queued output", () => {
  it('a STOP arriving while big replies wait for a slow reader is answered before them; the rest keep request order', () => {
    const { server, stream } = capturedServer(SESS);
    const send = (request: Request) => stream.emit('data', Buffer.from(`${encodeMessage(request)}\n`, 'latin1'));
    try {
      send({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION, cid: 'c0a1c0a1' });
      send({ type: 'SET', seq: 2, sess: SESS, rev: 0, ...PROGRAM });
      // The reader falls behind: the next reply is the last the stream takes; later ones must queue.
      stream.accepting = false;
      send({ type: 'OUTPUT', seq: 3, sess: SESS, rev: 1, on: true, mode: 'test' });
      send({ type: 'STATE', seq: 4, sess: SESS });
      send({ type: 'HB', seq: 5, sess: SESS });
      send({ type: 'STOP', seq: 6, sess: SESS });
      expect(stream.written.map((l) => decoded(l).type)).toEqual(['ACK', 'ACK', 'ACK']); // HELLO, SET, OUTPUT
      expect(server.model.state.output, 'STOP ran on arrival, not when its ACK left').toBe('off');
      stream.accepting = true;
      stream.emit('drain');
      const replies = stream.written.map(decoded);
      expect(replies.map((m) => ('of' in m ? `${m.of} ${m.seq}` : m.type))).toEqual([
        'HELLO 1',
        'SET 2',
        'OUTPUT 3',
        'STOP 6',
        'STATE 4',
        'HB 5',
      ]);
    } finally {
      server.close();
    }
  });

  it('ranks STOP ACK < other replies < events < telemetry, and equal ranks keep the order written', () => {
    const stop = encodeMessage({ type: 'ACK', seq: 9, of: 'STOP', output: 'off', rev: 3 });
    const nak = encodeMessage({ type: 'NAK', seq: 8, code: 17, message: 'stale' });
    const evt = encodeMessage({ type: 'EVT', kind: 'stopped', reason: 'link-loss' });
    expect([stop, nak, evt, 'TEL out=off*0000'].map(transmitRank)).toEqual([0, 1, 2, 3]);
    const sent: string[] = [];
    let room = 1;
    const queue = new TransmitQueue((line) => (sent.push(line.slice(0, 9)), --room > 0));
    for (const line of ['ACK seq=1 ', 'TEL a', 'EVT b', 'NAK seq=2 ', 'TEL c', 'ACK seq=3 ', stop]) queue.push(line);
    expect(queue.blocked).toBe(true);
    room = Infinity;
    queue.drain();
    expect(sent).toEqual(['ACK seq=1', 'ACK seq=9', 'NAK seq=2', 'ACK seq=3', 'EVT b', 'TEL a', 'TEL c']);
  });
});
