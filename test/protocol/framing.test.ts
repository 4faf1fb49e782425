import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, crc16Hex, decodeFrame, encodeFrame } from '../../protocol/index.js';

const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;

describe('encodeFrame', () => {
  it('writes VERB key=value ... *CRC over the bytes before the star', () => {
    const line = encodeFrame({ verb: 'STATE', fields: { seq: '7' } });
    expect(line).toBe(`STATE seq=7*${crc16Hex('STATE seq=7')}`);
  });

  it('quotes text that is not a bare token and replaces the characters quoting cannot carry', () => {
    expect(encodeFrame({ verb: 'NAK', fields: { msg: 'two words' } })).toBe(withCrc('NAK msg="two words"'));
    expect(encodeFrame({ verb: 'NAK', fields: { msg: 'a"b*c\\d\u00e9' } })).toBe(withCrc(`NAK msg="a'b'c'd?"`));
    expect(encodeFrame({ verb: 'NAK', fields: { msg: '' } })).toBe(withCrc('NAK msg=""'));
  });

  it('refuses bad verbs, bad keys and lines over the maximum', () => {
    expect(() => encodeFrame({ verb: 'set', fields: {} })).toThrow(/verb/);
    expect(() => encodeFrame({ verb: 'SET', fields: { Seq: '1' } })).toThrow(/field name/);
    expect(() => encodeFrame({ verb: 'NAK', fields: { msg: 'x'.repeat(MAX_LINE_BYTES) } })).toThrow(/256-byte maximum/);
  });
});

describe('decodeFrame', () => {
  it('reads fields, quoted values and a trailing \\r', () => {
    const result = decodeFrame(withCrc('NAK seq=3 code=20 msg="out of range"') + '\r');
    expect(result).toEqual({ ok: true, frame: { verb: 'NAK', fields: { seq: '3', code: '20', msg: 'out of range' } } });
  });

  it('accepts a line of exactly the maximum and refuses one byte more', () => {
    const fill = (n: number): string => {
      const head = 'NAK msg=';
      return withCrc(head + 'x'.repeat(n - head.length - 5));
    };
    expect(Buffer.byteLength(fill(MAX_LINE_BYTES))).toBe(MAX_LINE_BYTES);
    expect(decodeFrame(fill(MAX_LINE_BYTES)).ok).toBe(true);
    const over = decodeFrame(fill(MAX_LINE_BYTES + 1));
    expect(over.ok || over.error.code).toBe('too-long');
  });

  it.each([
    ['no CRC', 'HB seq=1', 'malformed'],
    ['short CRC', 'HB seq=1*12', 'malformed'],
    ['lower-case CRC', withCrc('HB seq=1').toLowerCase().replace('hb', 'HB'), 'malformed'],
    ['wrong CRC', 'HB seq=1*0000', 'bad-crc'],
    ['lower-case verb', withCrc('hb seq=1'), 'malformed'],
    ['field without =', withCrc('HB seq'), 'malformed'],
    ['repeated field', withCrc('HB seq=1 seq=2'), 'malformed'],
    ['unterminated quote', withCrc('NAK msg="abc'), 'malformed'],
    ['text after a quote', withCrc('NAK msg="abc"x'), 'malformed'],
    ['bad bare value', withCrc('HB seq=1;2'), 'malformed'],
    ['control character', withCrc('HB seq=1\t'), 'malformed'],
    ['empty line', '', 'malformed'],
  ])('rejects %s', (_name, line, code) => {
    const result = decodeFrame(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('says which CRC it expected, so a person can compare', () => {
    const result = decodeFrame('HB seq=1*0000');
    expect(!result.ok && result.error.detail).toContain(crc16Hex('HB seq=1'));
  });
});
