import { describe, expect, it } from 'vitest';
import { crc16Hex, decodeMessage, encodeMessage, type Message } from '../../protocol/index.js';

/** Tests written to kill mutants of protocol/codec.ts: exact error codes, details and sequence numbers. */
const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;

describe('codec: the sequence number kept on a decode error', () => {
  it('keeps a two-digit seq and the largest seq 65535', () => {
    expect(decodeMessage(withCrc('NAK seq=12 code=x'))).toEqual({
      ok: false,
      error: { code: 'bad-field', seq: 12, detail: "NAK: field 'code' must be a whole number, got 'x'" },
    });
    expect(decodeMessage(withCrc('NAK seq=65535 code=x'))).toEqual({
      ok: false,
      error: { code: 'bad-field', seq: 65535, detail: "NAK: field 'code' must be a whole number, got 'x'" },
    });
  });

  it('drops a seq over 65535 (the error has no seq key at all)', () => {
    expect(decodeMessage(withCrc('NAK seq=65536 code=x'))).toEqual({
      ok: false,
      error: { code: 'bad-field', detail: "NAK: field 'code' must be a whole number, got 'x'" },
    });
  });
});

describe('codec: field errors name the field and the value', () => {
  it('impedance readings must be whole ohms, open or short', () => {
    for (const bad of ['x12', '12x']) {
      expect(decodeMessage(withCrc(`ACK seq=3 of=IMP ohm=100,${bad}`))).toEqual({
        ok: false,
        error: { code: 'bad-field', seq: 3, detail: `ACK: impedance '${bad}' must be ohms, open or short` },
      });
    }
  });

  it('booleans must be 0 or 1', () => {
    expect(decodeMessage(withCrc('OUTPUT seq=2 on=yes mode=test'))).toEqual({
      ok: false,
      error: { code: 'bad-field', seq: 2, detail: "OUTPUT: field 'on' must be 0 or 1, got 'yes'" },
    });
  });

  it('a NAK without msg decodes to an empty message', () => {
    expect(decodeMessage(withCrc('NAK seq=4 code=7'))).toEqual({ ok: true, message: { type: 'NAK', seq: 4, code: 7, message: '' } });
  });
});

describe('codec: encode limits', () => {
  it('cuts a NAK message to 120 characters', () => {
    const line = encodeMessage({ type: 'NAK', seq: 1, code: 2, message: 'm'.repeat(200) } as Message);
    const r = decodeMessage(line);
    expect(r.ok && r.message.type === 'NAK' && r.message.message).toBe('m'.repeat(120));
  });

  it('refuses NAK codes the wire cannot carry, with the number in the message', () => {
    expect(() => encodeMessage({ type: 'NAK', seq: 1, code: -1, message: '' } as Message)).toThrow('not a whole number 0–999999999: -1');
    expect(() => encodeMessage({ type: 'NAK', seq: 1, code: 1_000_000_000, message: '' } as Message)).toThrow(
      'not a whole number 0–999999999: 1000000000',
    );
    expect(encodeMessage({ type: 'NAK', seq: 1, code: 999_999_999, message: '' } as Message)).toContain('code=999999999');
  });
});
