import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleKey } from '../../src/ui/key-handler.js';
import { GLOBAL_KEYS, SCREEN_KEYS, SCREENS, bindingFor, keyMapMarkdown } from '../../src/ui/key-map.js';
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

  it('the keys every screen shares (q, a, v) are dispatched from their rows, not spelled out in the handler', () => {
    const handler = readFileSync(new URL('../../src/ui/key-handler.ts', import.meta.url), 'utf8');
    const rows = GLOBAL_KEYS.filter((row) => 'sends' in row);
    expect(rows.map((row) => row.keys)).toEqual(['q', 'a', 'v']);
    for (const row of rows) {
      expect(handler).not.toContain(`input === '${row.keys}'`);
      for (const s of SCREENS) expect(bindingFor(s.id, row.keys)?.row, `${s.id} ${row.keys}`).toBe(row);
    }
  });

  it('q asks before quitting on every screen; a and v say why they do nothing when there is nothing to do', () => {
    const ctx = { view: connectedView(), ports: [] };
    for (const s of SCREENS) {
      const state = initialUiState({ screen: s.id });
      expect(handleKey(state, 'q', {}, ctx)).toEqual({ state: { ...state, dialog: { kind: 'quit' } }, commands: [] });
      expect(handleKey(state, 'a', {}, ctx)).toEqual({
        state: { ...state, message: 'nothing to acknowledge: screen and generator agree' },
        commands: [],
      });
      expect(handleKey(state, 'v', {}, ctx)).toEqual({
        state: { ...state, message: 'amplitude is not above the window: nothing to bring down' },
        commands: [],
      });
    }
  });

  it("the README's key tables are the table's rows", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keyMapMarkdown());
  });
});
