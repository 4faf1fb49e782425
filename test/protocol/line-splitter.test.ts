import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CANCEL, LineSplitter, MAX_LINE_BYTES } from '../../protocol/index.js';

function collect(max?: number): { lines: string[]; splitter: LineSplitter } {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), max);
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('splits at \\n and drops the \\r of \\r\\n', () => {
    const { lines, splitter } = collect();
    splitter.push('A\nB\r\nC');
    expect(lines).toEqual(['A', 'B']);
    splitter.push('\n');
    expect(lines).toEqual(['A', 'B', 'C']);
  });

  it('reassembles lines split over chunks at any point', () => {
    const text = 'HELLO seq=1\r\nSTATE seq=2\n\nHB seq=3\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 6 }), (cuts) => {
        const { lines, splitter } = collect();
        const points = [0, ...[...cuts].sort((a, b) => a - b), text.length];
        for (let i = 1; i < points.length; i++)
          splitter.push(Buffer.from(text.slice(points[i - 1], points[i]), 'latin1'));
        expect(lines).toEqual(['HELLO seq=1', 'STATE seq=2', '', 'HB seq=3']);
      }),
    );
  });

  it('accepts a line of exactly the cap (with or without \\r) and discards a longer one, counting it', () => {
    const { lines, splitter } = collect();
    splitter.push('x'.repeat(MAX_LINE_BYTES) + '\n');
    splitter.push('y'.repeat(MAX_LINE_BYTES) + '\r\n');
    expect(lines).toHaveLength(2);
    expect(splitter.overruns).toBe(0);
    splitter.push('z'.repeat(MAX_LINE_BYTES + 1) + '\nnext\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('next');
    expect(splitter.overruns).toBe(1);
  });

  it('never buffers more than the cap while a peer sends no terminator, and counts one overrun per long line', () => {
    const { lines, splitter } = collect(16);
    for (let i = 0; i < 1000; i++) splitter.push('a'.repeat(100));
    splitter.push('\nok\n');
    expect(lines).toEqual(['ok']);
    expect(splitter.overruns).toBe(1);
  });

  it('counts an overrun that arrives in small chunks', () => {
    const { lines, splitter } = collect(8);
    for (const ch of '0123456789\nshort\n') splitter.push(ch);
    expect(lines).toEqual(['short']);
    expect(splitter.overruns).toBe(1);
  });

  it('reset() forgets a partial line', () => {
    const { lines, splitter } = collect();
    splitter.push('half a li');
    splitter.reset();
    splitter.push('ne\n');
    expect(lines).toEqual(['ne']);
  });
});

describe('CAN (0x18) discards the partial line before it (PROTOCOL.md §2)', () => {
  it('property: any torn bytes, then CAN and a line: exactly that line comes out, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a && x !== 0x18))),
        fc.stringMatching(/^[ -~]{1,200}$/),
        fc.array(fc.nat(600), { maxLength: 5 }),
        (torn, line, cuts) => {
          const got: string[] = [];
          const splitter = new LineSplitter((l) => got.push(l));
          const bytes = Buffer.concat([torn, Buffer.from(`${CANCEL}${line}\n`, 'latin1')]);
          let at = 0;
          for (const cut of [...cuts].sort((a, b) => a - b)) {
            const to = Math.min(cut, bytes.length);
            if (to > at) splitter.push(bytes.subarray(at, to));
            at = Math.max(at, to);
          }
          splitter.push(bytes.subarray(at));
          expect(got).toEqual([line]);
        },
      ),
    );
  });

  it('complete lines before a CAN in the same chunk are kept', () => {
    const got: string[] = [];
    new LineSplitter((l) => got.push(l)).push(`A\nB${CANCEL}C\n`);
    expect(got).toEqual(['A', 'C']);
  });
});
