import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc16Hex, decodeMessage, encodeMessage, isRequestVerb, type Message } from '../../protocol/index.js';
import { eventArb, messageArb, replyArb, requestArb, telemetryArb } from './arbitraries.js';

const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;

function roundTrips(m: Message): void {
  const line = encodeMessage(m);
  expect(Buffer.byteLength(line)).toBeLessThanOrEqual(256);
  const decoded = decodeMessage(line);
  expect(decoded).toEqual({ ok: true, message: m });
}

describe('codec round trip', () => {
  it.each([
    ['requests', requestArb],
    ['replies', replyArb],
    ['events', eventArb],
    ['telemetry', telemetryArb],
  ] as const)('decode(encode(m)) = m for %s', (_name, arb) => {
    fc.assert(fc.property(arb as fc.Arbitrary<Message>, roundTrips), { numRuns: 300 });
  });

  it('covers every message type and ACK kind', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(messageArb, (m) => {
        seen.add(m.type === 'ACK' ? `ACK/${m.of}` : m.type);
      }),
      { numRuns: 2000 },
    );
    const all = ['HELLO', 'STATE', 'SET', 'OUTPUT', 'STOP', 'IMP', 'HB', 'NAK', 'EVT', 'TEL'];
    for (const of of ['HELLO', 'IMP', 'STATE', 'SET', 'OUTPUT', 'STOP', 'HB']) all.push(`ACK/${of}`);
    expect([...seen].sort()).toEqual(all.sort());
  });

  it('encodes a SET as the spec shows', () => {
    const line = encodeMessage({
      type: 'SET',
      seq: 12,
      sess: '5e55a001',
      rev: 4,
      rateHz: 50,
      pulseWidthUs: 300,
      amplitudeUa: 2500,
      contacts: '0+-00000',
    });
    expect(line).toBe(withCrc('SET seq=12 sess=5e55a001 rev=4 rate_hz=50 pw_us=300 amp_ua=2500 el=0+-00000'));
  });
});

describe('every single-byte corruption is rejected', () => {
  it('property: changing any one byte of a valid line to any other byte never decodes', () => {
    fc.assert(
      fc.property(messageArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (m, where, delta) => {
        const line = encodeMessage(m);
        const at = where % line.length;
        const byte = (line.charCodeAt(at) + delta) % 256;
        const corrupted = line.slice(0, at) + String.fromCharCode(byte) + line.slice(at + 1);
        expect(decodeMessage(corrupted).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('exhaustively for one line: every position, every other byte value', () => {
    const line = encodeMessage({
      type: 'SET',
      seq: 9,
      sess: '5e55a001',
      rev: 12,
      rateHz: 40,
      pulseWidthUs: 210,
      amplitudeUa: 3050,
      contacts: '+-0-0000',
    });
    for (let at = 0; at < line.length; at++) {
      for (let byte = 0; byte < 256; byte++) {
        if (byte === line.charCodeAt(at)) continue;
        const corrupted = line.slice(0, at) + String.fromCharCode(byte) + line.slice(at + 1);
        expect(decodeMessage(corrupted).ok, `byte ${byte} at ${at}`).toBe(false);
      }
    }
  });
});

describe('decode errors a person can act on', () => {
  it('names the field and keeps the sequence number for the NAK', () => {
    const r = decodeMessage(withCrc('SET seq=5 sess=5e55a001 rev=0 rate_hz=fifty pw_us=200 amp_ua=0 el=+-000000'));
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad-field', seq: 5, detail: expect.stringContaining("'rate_hz'") },
    });
  });

  it('reports a missing field', () => {
    const r = decodeMessage(withCrc('SET seq=5 sess=5e55a001 rev=0 rate_hz=50 pw_us=200 el=+-000000'));
    expect(!r.ok && r.error.detail).toContain("missing field 'amp_ua'");
  });

  it('reports an unknown verb with its seq', () => {
    expect(decodeMessage(withCrc('ZAP seq=4'))).toEqual({
      ok: false,
      error: { code: 'unknown-verb', seq: 4, detail: "unknown verb 'ZAP'" },
    });
  });

  it('rejects schema violations: seq 0 in a request, bad contacts, bad mode', () => {
    for (const body of [
      'HB seq=0',
      'SET seq=1 rate_hz=50 pw_us=200 amp_ua=0 el=+-x',
      'OUTPUT seq=1 on=1 mode=none',
      'OUTPUT seq=1 on=yes mode=test',
    ]) {
      const r = decodeMessage(withCrc(body));
      expect(r.ok, body).toBe(false);
      expect(!r.ok && r.error.code).toBe('bad-field');
    }
  });

  it('gives no seq when it cannot be read', () => {
    // Ten digits: not a wire number, so the NAK says seq=0; a leading zero is no number either (§2).
    for (const text of ['HB seq=1000000000', 'HB seq=007']) {
      const r = decodeMessage(withCrc(text));
      expect(!r.ok && r.error.seq, text).toBeUndefined();
    }
  });
});

describe('encode refuses values the wire must never carry', () => {
  it.each([
    ['NaN amplitude', { type: 'SET', seq: 1, rateHz: 50, pulseWidthUs: 200, amplitudeUa: Number.NaN, contacts: '+-' }],
    ['negative amplitude', { type: 'SET', seq: 1, rateHz: 50, pulseWidthUs: 200, amplitudeUa: -50, contacts: '+-' }],
    [
      'fractional amplitude (mA given as µA)',
      { type: 'SET', seq: 1, rateHz: 50, pulseWidthUs: 200, amplitudeUa: 2.5, contacts: '+-' },
    ],
    ['seq 0', { type: 'HB', seq: 0 }],
    ['seq over 999999999', { type: 'HB', seq: 1_000_000_000 }],
    ['bad contacts', { type: 'SET', seq: 1, rateHz: 50, pulseWidthUs: 200, amplitudeUa: 0, contacts: '+-a' }],
  ])('%s', (_name, message) => {
    expect(() => encodeMessage(message as Message)).toThrow();
  });

  it('knows which verbs are requests', () => {
    expect(['HELLO', 'STATE', 'SET', 'OUTPUT', 'STOP', 'IMP', 'HB'].every(isRequestVerb)).toBe(true);
    expect(['ACK', 'NAK', 'EVT', 'TEL'].some(isRequestVerb)).toBe(false);
  });
});
