import { expect } from 'vitest';
import { PROTOCOL_VERSION, crc16Hex, decodeMessage, encodeMessage, type Message } from '../../protocol/index.js';
import { capturedServer } from '../firmware-sim/capturing-stream.js';

/** The line with its CRC (PROTOCOL.md §2). */
export const withCrc = (body: string) => `${body}*${crc16Hex(body)}`;
export const SESS = '5e55a001';

/** A server with an open session 5e55a001 at revision 0; `send` returns every line it wrote back. */
export function generator() {
  const { server, stream } = capturedServer(SESS);
  const send = (line: string): Message[] => {
    stream.written = [];
    stream.emit('data', Buffer.from(`${line}\n`, 'latin1'));
    return stream.written.map((l) => {
      const d = decodeMessage(l);
      if (!d.ok) throw new Error(`undecodable reply ${l}`);
      return d.message;
    });
  };
  send(encodeMessage({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION, cid: 'c0a1c0a1' }));
  return { server, send };
}
export const nak = (seq: number, code: number) => [expect.objectContaining({ type: 'NAK', seq, code })];
export const SET_BODY = `SET seq=5 sess=${SESS} rev=0 rate_hz=50 pw_us=300 amp_ua=0 el=0+-00000`;
