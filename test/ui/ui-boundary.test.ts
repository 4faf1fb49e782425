import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 4: the UI holds no stimulation arithmetic. Keys send intents ("one step up"); the session
 * computes every value. The session's grid, clamp, window and charge-density modules are therefore
 * never imported by the UI.
 */

const ARITHMETIC = [
  'step-grid',
  'tonic-clamps',
  'amplitude-window',
  'charge-density',
  'pulse-width-change',
  'weiss-estimate',
  'search-step',
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('UI boundary', () => {
  it('no UI module imports the session arithmetic', () => {
    const root = new URL('../../src/ui/', import.meta.url).pathname;
    const offenders = files(root).flatMap((file) => {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      return imports.filter((i) => ARITHMETIC.some((a) => i.endsWith(`/${a}.js`))).map((i) => `${file}: ${i}`);
    });
    expect(offenders).toEqual([]);
  });
});
