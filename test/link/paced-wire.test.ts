import { describe, expect, it } from 'vitest';
import { CANCEL } from '../../protocol/index.js';
import { PACE_AHEAD_MS, PacedWire } from '../../src/link/paced-wire.js';
import { manualWireClock } from './manual-wire-clock.js';

/**
 * PROTOCOL.md §4.5, host side: on a serial line the link hands the OS no more than PACE_AHEAD_MS of wire
 * time ahead of the wire, so a STOP waits behind at most that much of our own bytes and can cut the rest.
 */

const BAUD = 115200;
const BYTE_MS = 10_000 / BAUD;
const SET = Buffer.from(`SET seq=41 sess=5e55a002 rev=7 rate_hz=50 pw_us=300 amp_ua=1550 contacts=+-000000*1A2B\n`);
const STOP = Buffer.from(`${CANCEL}STOP seq=42 sess=5e55a002*3C4D\n`, 'latin1');

function wire() {
  const clock = manualWireClock();
  const writes: { at: number; bytes: Buffer }[] = [];
  const paced = new PacedWire<string>((bytes) => writes.push({ at: clock.now(), bytes }), { baud: BAUD, clock });
  const written = () => Buffer.concat(writes.map((w) => w.bytes));
  return { clock, writes, paced, written };
}

describe('the link paces its own writes on a serial line', () => {
  it('never hands the OS more than PACE_AHEAD_MS of wire ahead, and the whole line goes out at the wire rate', () => {
    const { clock, writes, paced, written } = wire();
    paced.send(SET, 'set');
    const firstChunk = writes[0]!.bytes.length;
    expect(firstChunk).toBeLessThan(SET.length); // a SET is 7.2 ms of wire: most of it waits here
    expect(firstChunk * BYTE_MS).toBeLessThanOrEqual(PACE_AHEAD_MS + 1e-9);
    for (let t = 0; t < 20; t += 0.25) {
      // At every moment: what the OS has and has not sent yet is at most PACE_AHEAD_MS of wire.
      const handed = written().length;
      expect(handed * BYTE_MS - clock.now()).toBeLessThanOrEqual(PACE_AHEAD_MS + 1e-9);
      clock.advance(0.25);
    }
    expect(written().equals(SET)).toBe(true);
    expect(paced.holding).toBe(false);
    // It went out about as fast as the wire takes it: done within one budget of the line's wire time.
    const last = writes[writes.length - 1]!.at;
    expect(last).toBeLessThanOrEqual(SET.length * BYTE_MS);
  });

  it('a STOP during a paced SET is written at once; the SET tail never is; the SET is reported cut', () => {
    const { clock, paced, written, writes } = wire();
    paced.send(SET, 'set');
    clock.advance(2);
    const before = written().length;
    expect(before).toBeLessThan(SET.length - 1);
    const cut = paced.cutFor(STOP, () => false);
    expect(cut).toEqual(['set']);
    expect(writes[writes.length - 1]!.at).toBe(clock.now()); // no wait, whatever the pace
    clock.advance(100);
    const bytes = written();
    expect(bytes.length).toBe(before + STOP.length);
    expect(bytes.subarray(0, before).equals(SET.subarray(0, before))).toBe(true);
    expect(bytes.subarray(before).equals(STOP)).toBe(true);
    expect(bytes.indexOf(0x0a)).toBe(bytes.length - 1); // the SET's \n never left
  });

  it('a line the STOP cut and `resend` keeps goes again whole right after the STOP', () => {
    const { clock, paced, written } = wire();
    const hb = Buffer.from('HB seq=40 sess=5e55a002*0F0F\n');
    paced.send(hb, 'hb');
    paced.send(SET, 'set');
    const before = written().length;
    const cut = paced.cutFor(STOP, (tag) => tag === 'hb');
    expect(cut).toEqual(['set']);
    clock.advance(100);
    const bytes = written();
    expect(bytes.subarray(before, before + STOP.length).equals(STOP)).toBe(true);
    expect(bytes.subarray(before + STOP.length).equals(hb)).toBe(true);
  });

  it('a line whose end already reached the OS is not cut (it will arrive whole and run)', () => {
    const { clock, paced, written } = wire();
    paced.send(SET, 'set');
    clock.advance(SET.length * BYTE_MS);
    expect(written().equals(SET)).toBe(true);
    expect(paced.cutFor(STOP, () => false)).toEqual([]);
  });

  it('without pacing (the in-process simulator) every line is written at once and nothing is cut', () => {
    const writes: Buffer[] = [];
    const paced = new PacedWire<string>((bytes) => writes.push(bytes));
    paced.send(SET, 'set');
    expect(writes).toEqual([SET]);
    expect(paced.cutFor(STOP, () => false)).toEqual([]);
    expect(writes).toEqual([SET, STOP]);
  });
});
