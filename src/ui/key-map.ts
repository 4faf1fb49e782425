import type { SessionRequest } from './ui-ports.js';

export type ScreenId = 'connect' | 'program' | 'search' | 'therapy' | 'diary';

export const SCREENS: ReadonlyArray<{ id: ScreenId; digit: string; title: string; tab: string }> = [
  { id: 'connect', digit: '1', title: 'Connect', tab: 'Connect' },
  { id: 'program', digit: '2', title: 'Program', tab: 'Program' },
  { id: 'search', digit: '3', title: 'Threshold search', tab: 'Search' },
  { id: 'therapy', digit: '4', title: 'Therapy', tab: 'Therapy' },
  { id: 'diary', digit: '5', title: 'Diary', tab: 'Diary' },
];

export interface KeyBinding {
  keys: string;
  action: string;
}

/**
 * What a screen key does. An intent goes to the session as it is (with `says`, a line for the person);
 * a screen action is the screen's own work (cursor, draft, field, dialog) or needs the view to choose
 * its intent (output on/off, next posture, a search that would discard thresholds): screen-keys.ts.
 */
export type KeySend = { intent: SessionRequest; says?: string } | { screen: ScreenAction };

export type ScreenAction =
  | 'port-up'
  | 'port-down'
  | 'connect-chosen'
  | 'type-port'
  | 'type-baud'
  | 'simulator'
  | 'list-ports'
  | 'contact-left'
  | 'contact-right'
  | 'draft-contact'
  | 'apply-draft'
  | 'discard-draft'
  | 'output-toggle'
  | 'posture-next'
  | 'posture-previous'
  | 'search-begin'
  | 'commit-dialog'
  | 'patient-mode'
  | 'type-patient-window'
  | 'type-nrs'
  | 'type-pdi'
  | 'diary-phase'
  | 'diary-reload'
  | 'quit-dialog'
  | 'acknowledge'
  | 'bring-down';

/** A screen's key row: `sends` has one entry per key in `keys` (`r / R` → [rate down, rate up]). */
export interface ScreenKeyBinding extends KeyBinding {
  sends: readonly KeySend[];
}

const send = (intent: SessionRequest, says?: string): KeySend => (says === undefined ? { intent } : { intent, says });
const screen = (action: ScreenAction): KeySend => ({ screen: action });

/**
 * Keys that work on every screen. STOP, help, navigation and Esc stay in the handler (key-handler.ts:
 * STOP is decided before anything else); the rows with `sends` are dispatched from here like a
 * screen's rows, before them.
 */
export const GLOBAL_KEYS: ReadonlyArray<KeyBinding | ScreenKeyBinding> = [
  { keys: 'Space', action: 'STOP: all output off (every screen, dialog and field)' },
  { keys: 'Ctrl+C', action: 'STOP, then quit' },
  { keys: '?', action: 'show or hide this help' },
  { keys: '1-5', action: 'go to screen: 1 connect 2 program 3 search 4 therapy 5 diary' },
  { keys: 'Tab/Sh+Tab', action: 'next / previous screen' },
  { keys: 'Esc', action: 'close help, dialog, field' },
  { keys: 'q', action: 'quit (asks first)', sends: [screen('quit-dialog')] },
  { keys: 'a', action: 'acknowledge a !! screen/generator difference', sends: [screen('acknowledge')] },
  {
    keys: 'v',
    action: 'amplitude above the window (changed outside): bring it down into it',
    sends: [screen('bring-down')],
  },
];
const AMPLITUDE: readonly KeySend[] = [send({ type: 'AMPLITUDE_UP' }), send({ type: 'AMPLITUDE_DOWN' })];

/**
 * Every key the bedside screen knows, in one table: the help overlay and the README's key map are
 * generated from it, and each screen key's row carries what it sends, so the key handler dispatches
 * from the same rows the person reads (issue 18): a key cannot work without being documented.
 */
export const SCREEN_KEYS: Record<ScreenId, readonly ScreenKeyBinding[]> = {
  connect: [
    { keys: '↑ / ↓', action: 'choose a port', sends: [screen('port-up'), screen('port-down')] },
    { keys: 'Enter', action: 'connect to the chosen port', sends: [screen('connect-chosen')] },
    { keys: 'e', action: 'type a port path (Enter connects)', sends: [screen('type-port')] },
    { keys: 'b', action: 'type the baud rate', sends: [screen('type-baud')] },
    { keys: 'u', action: 'use the built-in simulator', sends: [screen('simulator')] },
    { keys: 'r', action: 'look for ports again', sends: [screen('list-ports')] },
    {
      keys: 'c',
      action: 'connect again to the same generator',
      sends: [send({ type: 'CONNECT' }, 'connecting again')],
    },
    {
      keys: 'B',
      action: 're-bind to a different generator (when blocked)',
      sends: [send({ type: 'REBIND' }, 're-binding to the connected generator')],
    },
  ],
  program: [
    { keys: '← / →', action: 'choose a contact', sends: [screen('contact-left'), screen('contact-right')] },
    {
      keys: '+ / - / 0',
      action: 'set the contact to anode / cathode / off (draft)',
      sends: [screen('draft-contact'), screen('draft-contact'), screen('draft-contact')],
    },
    { keys: 'Enter', action: 'apply the electrode draft (amplitude goes to 0)', sends: [screen('apply-draft')] },
    { keys: 'x', action: 'discard the electrode draft', sends: [screen('discard-draft')] },
    { keys: '↑ / ↓', action: 'amplitude one step up / down', sends: AMPLITUDE },
    { keys: 'r / R', action: 'rate down / up', sends: [send({ type: 'RATE_DOWN' }), send({ type: 'RATE_UP' })] },
    {
      keys: 'w / W',
      action: 'pulse width down / up',
      sends: [send({ type: 'PULSE_WIDTH_DOWN' }), send({ type: 'PULSE_WIDTH_UP' })],
    },
    { keys: 'o', action: 'output on / off', sends: [screen('output-toggle')] },
    { keys: 'i', action: 'impedance check (output off first)', sends: [send({ type: 'IMPEDANCE_CHECK' })] },
  ],
  search: [
    { keys: 'p / P', action: 'next / previous posture', sends: [screen('posture-next'), screen('posture-previous')] },
    {
      keys: 'b',
      action: 'begin: impedance check, then test output on at 0 mA',
      sends: [screen('search-begin')],
    },
    { keys: 'i', action: 'impedance check only (output off first)', sends: [send({ type: 'IMPEDANCE_CHECK' })] },
    { keys: '↑ / ↓', action: 'one step up / down (after the dwell)', sends: AMPLITUDE },
    { keys: 's', action: 'mark sensory threshold (first paresthesia)', sends: [send({ type: 'MARK_SENSORY' })] },
    {
      keys: 'd',
      action: 'mark discomfort threshold (amplitude drops at once)',
      sends: [send({ type: 'MARK_DISCOMFORT' })],
    },
  ],
  therapy: [
    { keys: '↑ / ↓', action: 'amplitude one step up / down, inside the window', sends: AMPLITUDE },
    { keys: 'c', action: 'commit therapy to the generator (asks first)', sends: [screen('commit-dialog')] },
    { keys: 'm', action: 'patient mode on (set a PIN) / off (the PIN)', sends: [screen('patient-mode')] },
    { keys: 'w', action: 'set the patient window: MIN-MAX mA, Enter', sends: [screen('type-patient-window')] },
    { keys: 'o', action: 'output on / off', sends: [screen('output-toggle')] },
  ],
  diary: [
    {
      keys: 'n',
      action: 'enter an NRS score (0-10), Enter saves (outside the trial dates it asks first: y stores)',
      sends: [screen('type-nrs')],
    },
    {
      keys: 'p',
      action: 'enter a PDI total (0-70), Enter saves (asks first outside the trial dates)',
      sends: [screen('type-pdi')],
    },
    { keys: 'f', action: 'switch phase: baseline / trial', sends: [screen('diary-phase')] },
    { keys: 'r', action: 'reload entries', sends: [screen('diary-reload')] },
  ],
};

/** The row and the entry of it a key press names on a screen, if any (`↑` for the up arrow, `Enter`). */
export function bindingFor(screenId: ScreenId, name: string): { row: ScreenKeyBinding; send: KeySend } | null {
  const everywhere = GLOBAL_KEYS.filter((row): row is ScreenKeyBinding => 'sends' in row);
  for (const row of [...everywhere, ...SCREEN_KEYS[screenId]]) {
    const i = row.keys.split(' / ').indexOf(name);
    if (i >= 0 && row.sends[i]) return { row, send: row.sends[i] };
  }
  return null;
}

export const FIELD_KEYS: ReadonlyArray<KeyBinding & { short: string }> = [
  { keys: 'characters', action: 'type into the field (space is STOP, never typed)', short: 'type' },
  { keys: 'Backspace', action: 'delete the last character', short: 'deletes' },
  { keys: 'Enter', action: 'accept', short: 'accepts' },
  { keys: 'Esc', action: 'cancel', short: 'cancels' },
];

/** The key map as Markdown tables (for the README). */
export function keyMapMarkdown(): string {
  const table = (title: string, rows: readonly KeyBinding[]) =>
    [
      `**${title}**`,
      '',
      '| key | action |',
      '|---|---|',
      ...rows.map((r) => `| ${r.keys.replace(/\|/g, '\\|')} | ${r.action} |`),
      '',
    ].join('\n');
  return [
    table('Everywhere', GLOBAL_KEYS),
    ...SCREENS.map((s) => table(`${s.digit} ${s.title}`, SCREEN_KEYS[s.id])),
    table('In a text field', FIELD_KEYS),
  ].join('\n');
}
