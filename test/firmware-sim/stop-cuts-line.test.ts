import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { transmitRank } from '../../firmware-sim/transmit-queue.js';
import { TX_FIFO_BYTES, UartTransmitter, type UartClock } from '../../firmware-sim/uart-transmitter.js';
import { CANCEL, CANCEL_BYTE, LineSplitter, encodeMessage } from '../../protocol/index.js';

/**
 * PROTOCOL.md §4.5 (v2.2): STOP's ACK never waits behind a line already on the wire. The generator's
 * UART stops feeding that line (what its TX FIFO holds still goes), sends CAN, STOP's short ACK, then the
 * torn line again whole; a torn or queued telemetry line is dropped (a snapshot from before the STOP).
 */

const BAUD = 115200;
const BYTE_MS = 10_000 / BAUD;

/** A clock that moves only when told to; wake-ups run in time order. */
class FakeClock implements UartClock {
  t = 0;
  private wakes: { at: number; wake: () => void }[] = [];
  now = (): number => this.t;
  wakeAt(at: number, wake: () => void): void {
    this.wakes.push({ at, wake });
  }
  advanceTo(until: number): void {
    for (;;) {
      this.wakes.sort((a, b) => a.at - b.at);
      const next = this.wakes[0];
      if (!next || next.at > until) break;
      this.wakes.shift();
      this.t = Math.max(this.t, next.at);
      next.wake();
    }
    this.t = until;
  }
}

const STATE = { ...new GeneratorModel().state, output: 'on' as const, mode: 'test' as const, amplitudeUa: 1550 };
const line = (text: string) => Buffer.from(`${text}\n`, 'latin1');
const SET_ACK = line(encodeMessage({ type: 'ACK', seq: 7, of: 'SET', state: STATE }));
const STOP_ACK = line(encodeMessage({ type: 'ACK', seq: 8, of: 'STOP', output: 'off', rev: 42 }));
const TEL = line(encodeMessage({ type: 'TEL', state: STATE }));
const EVT = line(encodeMessage({ type: 'EVT', kind: 'stopped', reason: 'stop-request' }));

/** A generator UART at 115200 baud on a fake clock; what reaches the host, with arrival times. */
function generatorUart() {
  const clock = new FakeClock();
  const got: { at: number; chunk: Buffer }[] = [];
  const uart = new UartTransmitter(BYTE_MS, (chunk) => got.push({ at: clock.t, chunk }), clock, {
    rank: (chunk) => transmitRank(chunk.toString('latin1', 0, 64)),
  });
  /** Lines the host's splitter makes of everything delivered (a CAN discards the torn line before it). */
  const hostLines = () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    for (const g of got) splitter.push(g.chunk);
    return lines;
  };
  return { clock, got, uart, hostLines };
}

describe("the generator's UART cuts the line on the wire for STOP's ACK", () => {
  it('a STOP arriving mid-transmission of a long reply gets its ACK before the rest of that line', () => {
    const { clock, got, uart } = generatorUart();
    expect(SET_ACK.length).toBeGreaterThan(100);
    uart.push(SET_ACK);
    clock.advanceTo(3); // 3 ms: about 34 bytes of the SET's ACK are out
    uart.push(STOP_ACK);
    clock.advanceTo(100);
    const stopAt = got.findIndex((g) => g.chunk.equals(STOP_ACK));
    const setWholeAt = got.findIndex((g) => g.chunk.equals(SET_ACK));
    expect(stopAt, "STOP's ACK arrived").toBeGreaterThanOrEqual(0);
    expect(stopAt, "STOP's ACK came before the SET's ACK was ever whole").toBeLessThan(setWholeAt);
    // Its time: what was sent and what the FIFO held, one CAN, then the short ACK; never the whole SET ACK.
    const sentBy3 = Math.floor(3 / BYTE_MS);
    const bound = (sentBy3 + TX_FIFO_BYTES + 1 + STOP_ACK.length) * BYTE_MS;
    expect(got[stopAt]!.at).toBeLessThanOrEqual(bound + 1e-9);
    expect(got[stopAt]!.at).toBeLessThan((SET_ACK.length + STOP_ACK.length) * BYTE_MS);
    // The torn part: a prefix of the SET's ACK, ended by CAN.
    const torn = got[stopAt - 1]!.chunk.toString('latin1');
    expect(torn.endsWith(CANCEL)).toBe(true);
    expect(SET_ACK.toString('latin1').startsWith(torn.slice(0, -1))).toBe(true);
  });

  it('the torn line is re-sent whole and the host gets it exactly once, after the STOP ACK', () => {
    const { clock, uart, hostLines } = generatorUart();
    uart.push(SET_ACK);
    clock.advanceTo(2);
    uart.push(EVT);
    uart.push(STOP_ACK);
    clock.advanceTo(100);
    const text = (b: Buffer) => b.toString('latin1').slice(0, -1);
    // Request order holds for the rest: the SET's ACK (written first) before the event.
    expect(hostLines()).toEqual([text(STOP_ACK), text(SET_ACK), text(EVT)]);
  });

  it('telemetry torn or still queued when STOP is answered is dropped, not re-sent', () => {
    const { clock, uart, hostLines } = generatorUart();
    uart.push(TEL);
    clock.advanceTo(1);
    uart.push(TEL);
    uart.push(STOP_ACK);
    clock.advanceTo(100);
    expect(hostLines()).toEqual([STOP_ACK.toString('latin1').slice(0, -1)]);
  });

  it('a line whose rest is already in the FIFO finishes; a STOP ACK on a free wire goes at once', () => {
    const { clock, got, uart, hostLines } = generatorUart();
    uart.push(SET_ACK);
    clock.advanceTo((SET_ACK.length - TX_FIFO_BYTES + 2) * BYTE_MS);
    uart.push(STOP_ACK);
    clock.advanceTo(100);
    expect(got.map((g) => g.chunk.toString('latin1').includes(CANCEL))).toEqual([false, false]);
    expect(hostLines().map((l) => l.slice(0, 16))).toEqual(['ACK seq=7 of=SET', 'ACK seq=8 of=STO']);
    const free = generatorUart();
    free.uart.push(STOP_ACK);
    free.clock.advanceTo(100);
    expect(free.got[0]!.at).toBeCloseTo(STOP_ACK.length * BYTE_MS, 6);
  });
});

describe('STOPs in quick succession (PROTOCOL.md §4.5, bb3 F-L8)', () => {
  const STOP_ACK_2 = line(encodeMessage({ type: 'ACK', seq: 9, of: 'STOP', output: 'off', rev: 42 }));
  const text = (b: Buffer) => b.toString('latin1').slice(0, -1);
  const cans = (got: { chunk: Buffer }[]) => got.filter((g) => g.chunk.includes(CANCEL_BYTE)).length;

  it("a STOP's ACK on the wire is never cut: the next STOP's ACK follows it", () => {
    const { clock, got, uart, hostLines } = generatorUart();
    uart.push(STOP_ACK);
    clock.advanceTo(BYTE_MS * 2); // 2 bytes of the first STOP's ACK are out
    uart.push(STOP_ACK_2);
    clock.advanceTo(100);
    expect(cans(got)).toBe(0);
    expect(hostLines()).toEqual([text(STOP_ACK), text(STOP_ACK_2)]);
  });

  it('while a torn part is still going out, a second STOP does not cut again: both ACKs, then the line once', () => {
    const { clock, got, uart, hostLines } = generatorUart();
    uart.push(SET_ACK);
    clock.advanceTo(2);
    uart.push(STOP_ACK); // cut: the torn part (sent + FIFO) and CAN are on the wire now
    uart.push(STOP_ACK_2); // same instant: cutting the torn part again would send its prefix twice
    clock.advanceTo(100);
    expect(cans(got)).toBe(1);
    expect(hostLines()).toEqual([text(STOP_ACK), text(STOP_ACK_2), text(SET_ACK)]);
  });

  it('a re-sent line can be cut again by a later STOP; the host still gets it exactly once, after both ACKs', () => {
    const { clock, got, uart, hostLines } = generatorUart();
    uart.push(SET_ACK);
    clock.advanceTo(2);
    uart.push(STOP_ACK);
    // Until the torn part, CAN and the first STOP's ACK are out; the SET's ACK is on the wire again.
    for (let t = 2; !got.some((g) => g.chunk.equals(STOP_ACK)); t += 0.1) clock.advanceTo(t);
    const stopAt = got.find((g) => g.chunk.equals(STOP_ACK))!.at;
    clock.advanceTo(stopAt + 3); // about 34 bytes of the re-sent line are out
    expect(got.some((g) => g.chunk.equals(SET_ACK))).toBe(false);
    uart.push(STOP_ACK_2);
    clock.advanceTo(200);
    expect(cans(got)).toBe(2);
    expect(hostLines()).toEqual([text(STOP_ACK), text(STOP_ACK_2), text(SET_ACK)]);
  });
});
