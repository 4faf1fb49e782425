import { describe, expect, it } from 'vitest';
import { nearestOnGridWithin } from '../../src/session/step-grid.js';

/** Tests written to kill mutants of src/session/step-grid.ts. */
describe('step grid: nearest value inside a window', () => {
  it('is null when the window lies wholly below a grid that starts at 0 (no floor exists)', () => {
    // first = ceil(-10) = 0, last = floor(-5) = null: without the null check `0 > null` is false and 0 would come back.
    expect(nearestOnGridWithin(5, { min: 0, max: 100, step: 10 }, -10, -5)).toBeNull();
  });
});
