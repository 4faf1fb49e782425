import { crc16Hex } from './crc16.js';
import { MAX_LINE_BYTES, MAX_SEQ } from './limits.js';

/**
 * STOP is never refused (PROTOCOL.md §4.5): a line whose CRC is valid and whose verb is STOP stops
 * output whatever its other fields say. This reads such a line when the full decoder refused it (a
 * malformed `sess`, a missing or out-of-range `seq`, a bad field elsewhere) and gives the seq its ACK
 * names: the line's own when it is a readable wire number 1..MAX_SEQ, else 0.
 */
export function stopSeqOf(raw: string): number | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (Buffer.byteLength(line, 'latin1') > MAX_LINE_BYTES) return undefined;
  const star = line.lastIndexOf('*');
  if (star < 0) return undefined;
  const body = line.slice(0, star);
  // The CRC is what makes the line trustworthy: without it a corrupted byte could read as STOP.
  if (line.slice(star + 1) !== crc16Hex(body)) return undefined;
  if (!/^STOP(?: |$)/.test(body)) return undefined;
  const m = / seq=([1-9]\d{0,8})(?: |$)/.exec(body);
  const seq = m ? Number(m[1]) : 0;
  return seq >= 1 && seq <= MAX_SEQ ? seq : 0;
}
