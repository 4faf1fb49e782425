import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ErrorCode, decodeMessage, encodeMessage } from '../../protocol/index.js';

/** PROTOCOL.md is the spec firmware is written from: every example line in it must be a real, valid line. */

const doc = fs.readFileSync(new URL('../../protocol/PROTOCOL.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/^([CG]): (.+)$/gm)].map((m) => ({ from: m[1]!, line: m[2]! }));

describe('PROTOCOL.md examples', () => {
  it('has examples of every message', () => {
    const verbs = new Set(examples.map((e) => e.line.split(' ')[0]));
    expect([...verbs].sort()).toEqual([
      'ACK',
      'EVT',
      'HB',
      'HELLO',
      'IMP',
      'NAK',
      'OUTPUT',
      'SET',
      'STATE',
      'STOP',
      'TEL',
    ]);
  });

  it.each(examples.map((e) => [e.from, e.line]))('%s: %s decodes and re-encodes to the same bytes', (from, line) => {
    const decoded = decodeMessage(line);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(encodeMessage(decoded.message)).toBe(line);
    const isRequest = ['HELLO', 'STATE', 'SET', 'OUTPUT', 'STOP', 'IMP', 'HB'].includes(decoded.message.type);
    expect(isRequest).toBe(from === 'C');
  });

  it('lists every error code with its number', () => {
    for (const [name, code] of Object.entries(ErrorCode))
      expect(doc).toMatch(new RegExp(`\\| ${code} \\| \`${name}\` \\|`));
  });
});
