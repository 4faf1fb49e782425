import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleKey } from '../../src/ui/key-handler.js';
import { SCREEN_KEYS, SCREENS, bindingFor, keyMapMarkdown } from '../../src/ui/key-map.js';
import { initialUiState } from '../../src/ui/ui-state.js';
import { connectedView } from './fake-session.js';

/**
 * Issue 18 item 2: keys from one table. Each screen row carries what it sends; the handler dispatches
 * from those rows, so the help page, the README's key table and what a key does cannot drift apart.
 */

const RAW: Record<string, [string, Record<string, boolean>]> = {
  '↑': ['', { upArrow: true }],
  '↓': ['', { downArrow: true }],
  '←': ['', { leftArrow: true }],
  '→': ['', { rightArrow: true }],
  Enter: ['', { return: true }],
};

describe('one key table', () => {
  it('every screen row names one send per key', () => {
    for (const s of SCREENS)
      for (const row of SCREEN_KEYS[s.id])
        expect(row.sends.length, `${s.id} ${row.keys}`).toBe(row.keys.split(' / ').length);
  });

  it('a key whose row carries an intent sends exactly that intent', () => {
    const ctx = { view: connectedView(), ports: ['/dev/ttyUSB0'] };
    for (const s of SCREENS) {
      for (const row of SCREEN_KEYS[s.id]) {
        row.keys.split(' / ').forEach((name, i) => {
          const sent = row.sends[i]!;
          if (!('intent' in sent)) return;
          const [input, key] = RAW[name] ?? [name, {}];
          const result = handleKey(initialUiState({ screen: s.id }), input, key, ctx);
          expect(result.commands, `${s.id} ${name}`).toEqual([{ kind: 'intent', intent: sent.intent }]);
        });
      }
    }
  });

  it('a key with no row on a screen does nothing there', () => {
    const ctx = { view: connectedView(), ports: [] };
    for (const s of SCREENS) {
      for (const letter of 'ghjklyzGHJKLYZ') {
        expect(bindingFor(s.id, letter)).toBeNull();
        const state = initialUiState({ screen: s.id });
        expect(handleKey(state, letter, {}, ctx)).toEqual({ state, commands: [] });
      }
    }
  });

  it('the screen keys are not spelled out again in the handler', () => {
    const source = readFileSync(new URL('../../src/ui/screen-keys.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/input === '/);
  });

  it("the README's key tables are the table's rows", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keyMapMarkdown());
  });
});
