import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, renderCatalogue, rowTestName } from './bad-input-doc.js';
import { BAD_INPUT, CLASSES, SURFACES } from './bad-input-table.js';

/**
 * Every row of the bad-input catalogue, run against the real thing (CLI in-process as main.ts runs
 * it, CSV importers, generator server, companion channel, UI key handler + diary adapter, scs script),
 * compared with exactly what the catalogue says comes back. And the doc is the table, rendered.
 */

describe('bad-input catalogue (docs/BAD-INPUT.md)', () => {
  BAD_INPUT.forEach((row, i) => {
    it(rowTestName(row, i), async () => {
      expect(await row.run()).toBe(row.expected);
    });
  });

  it('covers every surface × class', () => {
    for (const surface of SURFACES)
      for (const kind of CLASSES)
        expect(
          BAD_INPUT.some((r) => r.surface === surface && r.kind === kind),
          `${surface} / ${kind}`,
        ).toBe(true);
  });

  it('docs/BAD-INPUT.md is the table rendered (regenerate: npx tsx test/reliability/bad-input-doc.ts)', () => {
    expect(fs.readFileSync(DOC_PATH, 'utf8')).toBe(renderCatalogue());
  });

  it('no message a person reads carries a raw control character or a stack trace', () => {
    for (const row of BAD_INPUT) {
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(row.expected, row.input).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]|\n\s+at /);
    }
  });
});
