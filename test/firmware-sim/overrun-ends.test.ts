import { describe, expect, it } from 'vitest';
import { createGeneratorServer } from '../../firmware-sim/generator-server.js';
import { CANCEL, ErrorCode, PROTOCOL_VERSION, decodeMessage, encodeMessage } from '../../protocol/index.js';
import { CapturingStream } from './capturing-stream.js';

/**
 * PROTOCOL.md §2 (bb3 F-L10): after more than 256 bytes without `\n` the generator discards up to the
 * next `\n` (an overrun, `NAK seq=0 code=11`); a CAN, or a stall of the inter-byte timeout (§7), ends
 * that discard too, so the host's `\x18STOP …\n` after line noise still stops.
 */
function serverAt() {
  let t = 0;
  const server = createGeneratorServer({ telemetryHz: 0, tickMs: 3_600_000, now: () => t, interByteTimeoutMs: 100 });
  const stream = new CapturingStream();
  server.attach(stream as never);
  const send = (text: string, atMs: number) => {
    t = atMs;
    stream.emit('data', Buffer.from(text, 'latin1'));
  };
  const replies = () => stream.written.map((l) => decodeMessage(l.replace(CANCEL, '')));
  return { server, send, replies };
}

const NOISE = 'X'.repeat(300);
const stopLine = (seq: number) => `${encodeMessage({ type: 'STOP', seq })}\n`;
const stopAcks = (replies: ReturnType<ReturnType<typeof serverAt>['replies']>) =>
  replies.filter((r) => r.ok && r.message.type === 'ACK' && r.message.of === 'STOP');

describe('what ends the overrun discard (§2)', () => {
  it('a CAN ends it: the STOP right after line noise runs', () => {
    const { server, send, replies } = serverAt();
    send(`${encodeMessage({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION })}\n`, 0);
    send(NOISE, 1);
    send(`${CANCEL}${stopLine(7)}`, 2);
    expect(server.counters.overruns).toBe(1);
    expect(replies().some((r) => r.ok && r.message.type === 'NAK' && r.message.code === ErrorCode.LINE_TOO_LONG)).toBe(
      true,
    );
    expect(stopAcks(replies())).toHaveLength(1);
  });

  it('a stall of the inter-byte timeout ends it; without CAN or stall the next line is discarded with the noise', () => {
    const stalled = serverAt();
    stalled.send(NOISE, 0);
    stalled.send(stopLine(8), 250);
    expect(stopAcks(stalled.replies())).toHaveLength(1);

    const literal = serverAt();
    literal.send(NOISE, 0);
    literal.send(stopLine(9), 10);
    expect(stopAcks(literal.replies())).toHaveLength(0);
  });
});
