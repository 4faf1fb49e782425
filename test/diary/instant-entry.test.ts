import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/diary/entry.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';

describe('parseInstant', () => {
  it('keeps the original text and offset, and compares by real epoch ms', () => {
    const a = parseInstant('2024-03-31T08:00+02:00');
    expect(a).toEqual({
      text: '2024-03-31T08:00+02:00',
      ms: Date.UTC(2024, 2, 31, 6),
      offsetMinutes: 120,
      localDate: '2024-03-31',
    });
    expect(parseInstant('2024-03-31T06:00:00Z').ms).toBe(a.ms);
    expect(parseInstant('2024-03-31T01:00:00.000-05:00').ms).toBe(a.ms);
    expect(parseInstant('2024-03-31 11:45+0545').ms).toBe(a.ms);
    expect(parseInstant('2024-03-31T08:00:00.1234+02:00').ms).toBe(a.ms + 123);
  });

  it('rejects a time without an offset with a message saying to add one', () => {
    expect(() => parseInstant('2024-03-31T08:00')).toThrow(/no UTC offset/);
    expect(() => parseInstant('2024-03-31T08:00:00.000')).toThrow(/no UTC offset/);
  });

  it.each([
    ['2024-03-31', /not an ISO 8601/],
    ['31/03/2024 08:00+01:00', /not an ISO 8601/],
    ['2024-02-30T08:00Z', /day 30 does not exist/],
    ['2023-02-29T08:00Z', /day 29 does not exist/],
    ['2024-13-01T08:00Z', /month 13/],
    ['2024-03-31T24:00Z', /hour 24/],
    ['2024-03-31T08:60Z', /minute 60/],
    ['2024-03-31T08:00:60Z', /second 60/],
    ['2024-03-31T08:00+15:00', /offset/],
    ['0099-03-31T08:00Z', /before 1900/],
    ['', /not an ISO 8601/],
    ['2024-03-31T08:00+02:00; DROP TABLE', /not an ISO 8601/],
  ])('rejects %j', (text, pattern) => {
    expect(() => parseInstant(text)).toThrow(pattern);
  });

  it('accepts 29 February in a leap year and round-trips through formatInstant', () => {
    expect(parseInstant('2024-02-29T23:59:59-12:00').localDate).toBe('2024-02-29');
    const ms = Date.UTC(2024, 9, 27, 0, 30);
    for (const off of [0, 60, 120, -300, 345]) expect(parseInstant(formatInstant(ms, off)).ms).toBe(ms);
  });
});

describe('parseEntry', () => {
  const ok = { timestamp: '2024-03-31T08:00+02:00', phase: 'trial' };

  it('derives the PDI total from the 7 domains', () => {
    const r = parseEntry({ ...ok, pdi: '1;2;3;4;5;6;7' });
    expect(r.ok && r.entry.pdi).toBe(28);
    expect(r.ok && r.entry.pdiDomains).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const t = parseEntry({ ...ok, pdi: '70', nrs: '0', activity: 'Improved', note: 'line one\nline two' });
    expect(t.ok && [t.entry.pdi, t.entry.nrs, t.entry.activity, t.entry.note]).toEqual([
      70,
      0,
      'improved',
      'line one\nline two',
    ]);
  });

  it.each([
    [{ nrs: '11' }, 'nrs', /out of range 0–10/],
    [{ nrs: '-1' }, 'nrs', /not a whole number/],
    [{ nrs: '4.5' }, 'nrs', /not a whole number/],
    [{ nrs: 'seven' }, 'nrs', /not a whole number/],
    [{ pdi: '71' }, 'pdi', /out of range 0–70/],
    [{ pdi: '1;2;3' }, 'pdi', /3 domain scores/],
    [{ pdi: '1;2;3;4;5;6;11' }, 'pdi', /domain 7 .*out of range 0–10/],
    [{ activity: 'better' }, 'activity', /not one of improved, not-improved/],
    [{ nrs: '3', note: 'x'.repeat(2001) }, 'note', /limit is 2000/],
    [{ nrs: '3', note: 'evil \u001b[2J' }, 'note', /control character U\+001B/],
    [{}, 'nrs', /at least one of nrs, pdi, activity/],
  ] as const)('rejects %j naming the field', (fields, field, pattern) => {
    const r = parseEntry({ ...ok, ...fields });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.some((p) => p.field === field && pattern.test(p.message))).toBe(true);
  });

  it('requires a timestamp and a known phase, and reports every problem at once', () => {
    const r = parseEntry({ phase: 'during', nrs: '12' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field).sort()).toEqual(['nrs', 'phase', 'timestamp']);
  });
});
