import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowLines, wrapWords } from '../../src/ui/layout.js';
import { packBindings } from '../../src/ui/components/help-overlay.js';
import { GLOBAL_KEYS, SCREEN_KEYS } from '../../src/ui/key-map.js';

/** Issue 13: lines laid out to the width, a value never torn from its unit, a key never from its action. */

const word = fc.stringMatching(/^[a-z0-9.]{1,12}$/);
const unit = fc.constantFrom('mA', 'Hz', 'µs', '(m)', 'mA;', 'mA)');
/** Sentences of words, some followed by a unit or a bracketed key (as on the screen). */
const text = fc
  .array(fc.tuple(word, fc.option(unit, { nil: undefined })), { minLength: 1, maxLength: 40 })
  .map((pairs) => pairs.map(([w, u]) => (u === undefined ? w : `${w} ${u}`)).join(' '));

describe('wrapWords', () => {
  it('keeps every word, in order; no line is wider than the width; a unit stays with its value', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 30, max: 160 }), (t, width) => {
        const lines = wrapWords(t, width, 2);
        expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual(t.split(' ').filter(Boolean));
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        for (const line of lines.slice(1)) expect(line.trim()).not.toMatch(/^(mA|Hz|µs|\(m\))/);
      }),
    );
  });

  it('the issue’s example: "(m)" and "0.40 mA" never start a row of their own', () => {
    const lines = wrapWords('Patient window 0.05 mA to 0.40 mA (set) (w)   Patient mode ON (amplitude only) (m)', 80);
    expect(lines.at(-1)).toMatch(/only\) \(m\)$/);
  });
});

describe('flowLines', () => {
  it('puts segments side by side only while they fit, never reorders or splits them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 12 }),
        fc.integer({ min: 60, max: 160 }),
        (lengths, width) => {
          const lines = flowLines(lengths, width, 3);
          expect(lines.flat()).toEqual(lengths.map((_, i) => i));
          for (const line of lines)
            if (line.length > 1)
              expect(line.reduce((sum, i) => sum + lengths[i]!, 0) + 3 * (line.length - 1)).toBeLessThanOrEqual(width);
        },
      ),
    );
  });
});

describe('help pages', () => {
  it('fit the width at 80 and use it at 160', () => {
    for (const rows of [GLOBAL_KEYS, ...Object.values(SCREEN_KEYS)]) {
      for (const line of packBindings(rows, 10, 80)) expect(line.length).toBeLessThanOrEqual(80);
      expect(packBindings(rows, 10, 160).length).toBeLessThanOrEqual(packBindings(rows, 10, 80).length);
    }
    expect(packBindings(GLOBAL_KEYS, 10, 160).length).toBeLessThan(packBindings(GLOBAL_KEYS, 10, 80).length);
  });
});
