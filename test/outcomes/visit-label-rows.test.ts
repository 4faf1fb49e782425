/**
 * Follow-up visit labels (src/outcomes/html/svg-charts.ts `labelRows`): visits spaced by time can sit
 * close together, so a label moves to the next row rather than overlap its neighbour. Property: on every
 * row, the estimated label boxes never overlap; a label goes below only when the rows above are taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelRows } from '../../src/outcomes/html/svg-charts.js';

const half = (label: string) => (label.length * 6.5) / 2 + 3;

describe('follow-up visit label rows', () => {
  it('puts baseline and post-op 20 days apart on a 385-day axis on two rows, 12m back on the first', () => {
    const x = [44, 44 + (632 * 20) / 385, 676];
    expect(labelRows(x, ['baseline', 'post-op', '12m'])).toEqual([0, 1, 0]);
  });

  it('keeps evenly spread visits on one row', () => {
    expect(labelRows([44, 200, 360, 520, 676], ['baseline', 'post-op', '1m', '3m', '6m'])).toEqual([0, 0, 0, 0, 0]);
  });

  it('never overlaps two labels on a row, and uses a lower row only when every row above is taken', () => {
    const visits = fc.array(fc.tuple(fc.double({ min: 44, max: 676, noNaN: true }), fc.string({ maxLength: 9 })), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(visits, (vs) => {
        const sorted = [...vs].sort((a, b) => a[0] - b[0]);
        const xs = sorted.map((v) => v[0]);
        const labels = sorted.map((v) => v[1]);
        const rows = labelRows(xs, labels);
        for (let i = 0; i < rows.length; i++)
          for (let j = i + 1; j < rows.length; j++)
            if (rows[i] === rows[j]) expect(xs[i]! + half(labels[i]!)).toBeLessThanOrEqual(xs[j]! - half(labels[j]!));
        rows.forEach((r, i) => {
          for (let above = 0; above < r; above++) {
            const last = rows.slice(0, i).lastIndexOf(above);
            expect(last).toBeGreaterThanOrEqual(0);
            expect(xs[last]! + half(labels[last]!)).toBeGreaterThan(xs[i]! - half(labels[i]!));
          }
        });
      }),
    );
  });
});
