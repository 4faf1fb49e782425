import { crc16Hex } from './crc16.js';
import { MAX_LINE_BYTES, MAX_SEQ } from './limits.js';

/**
 * The body of a line whose CRC is valid (four upper-case hex digits that match, §2), else undefined.
 * The CRC is what makes the line trustworthy: without it a corrupted byte could read as STOP.
 */
function crcValidBody(raw: string): string | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (Buffer.byteLength(line, 'latin1') > MAX_LINE_BYTES) return undefined;
  const star = line.lastIndexOf('*');
  if (star < 0) return undefined;
  const body = line.slice(0, star);
  return line.slice(star + 1) === crc16Hex(body) ? body : undefined;
}

/** The line's own seq when it is a readable wire number 1..MAX_SEQ, else 0. */
function readableSeq(body: string): number {
  const m = / seq=([1-9]\d{0,8})(?: |$)/.exec(body);
  const seq = m ? Number(m[1]) : 0;
  return seq >= 1 && seq <= MAX_SEQ ? seq : 0;
}

/**
 * STOP is never refused (PROTOCOL.md §4.5): a line whose CRC is valid and whose verb is STOP stops
 * output whatever its other fields say. This reads such a line when the full decoder refused it (a
 * malformed `sess`, a missing or out-of-range `seq`, a bad field elsewhere) and gives the seq its ACK
 * names: the line's own when it is a readable wire number 1..MAX_SEQ, else 0.
 */
export function stopSeqOf(raw: string): number | undefined {
  const body = crcValidBody(raw);
  if (body === undefined || !/^STOP(?: |$)/.test(body)) return undefined;
  return readableSeq(body);
}

/**
 * Turning output off is never refused (PROTOCOL.md §4.4, v2.2): a CRC-valid `OUTPUT` line with the
 * field `on=0` (and no other `on=`) turns output off like STOP, whatever else is missing or broken
 * (`sess`, `seq`, `rev`, `mode`). This reads such a line when the full decoder refused it and gives
 * the seq its ACK names (readable, else 0); undefined for any other line.
 */
export function outputOffSeqOf(raw: string): number | undefined {
  const body = crcValidBody(raw);
  if (body === undefined || !/^OUTPUT /.test(body)) return undefined;
  const on = [...body.matchAll(/ on=(\S*)/g)].map((m) => m[1]);
  if (on.length === 0 || on.some((v) => v !== '0')) return undefined;
  return readableSeq(body);
}
