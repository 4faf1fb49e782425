/**
 * Every key the bedside screen knows, in one table: the help overlay and the README's key map are
 * generated from it, and the key handler's tests walk it so no key goes undocumented.
 */

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

export const GLOBAL_KEYS: readonly KeyBinding[] = [
  { keys: 'Space', action: 'STOP: all output off (every screen, dialog and field)' },
  { keys: 'Ctrl+C', action: 'STOP, then quit' },
  { keys: '?', action: 'show or hide this help' },
  { keys: '1-5', action: 'go to screen: 1 connect 2 program 3 search 4 therapy 5 diary' },
  { keys: 'Tab/Sh+Tab', action: 'next / previous screen' },
  { keys: 'Esc', action: 'close help, dialog, field' },
  { keys: 'q', action: 'quit (asks first)' },
  { keys: 'a', action: 'acknowledge a !! screen/generator difference' },
  { keys: 'v', action: 'amplitude above the window (changed outside): bring it down into it' },
];

export const SCREEN_KEYS: Record<ScreenId, readonly KeyBinding[]> = {
  connect: [
    { keys: '↑ / ↓', action: 'choose a port' },
    { keys: 'Enter', action: 'connect to the chosen port' },
    { keys: 'e', action: 'type a port path (Enter connects)' },
    { keys: 'b', action: 'type the baud rate' },
    { keys: 'u', action: 'use the built-in simulator' },
    { keys: 'r', action: 'look for ports again' },
    { keys: 'c', action: 'connect again to the same generator' },
    { keys: 'B', action: 're-bind to a different generator (when blocked)' },
  ],
  program: [
    { keys: '← / →', action: 'choose a contact' },
    { keys: '+ / - / 0', action: 'set the contact to anode / cathode / off (draft)' },
    { keys: 'Enter', action: 'apply the electrode draft (amplitude goes to 0)' },
    { keys: 'x', action: 'discard the electrode draft' },
    { keys: '↑ / ↓', action: 'amplitude one step up / down' },
    { keys: 'r / R', action: 'rate down / up' },
    { keys: 'w / W', action: 'pulse width down / up' },
    { keys: 'o', action: 'output on / off' },
    { keys: 'i', action: 'impedance check (output off first)' },
  ],
  search: [
    { keys: 'p / P', action: 'next / previous posture' },
    { keys: 'b', action: 'begin: impedance check, then test output on at 0 mA' },
    { keys: 'i', action: 'impedance check only (output off first)' },
    { keys: '↑ / ↓', action: 'one step up / down (after the dwell)' },
    { keys: 's', action: 'mark sensory threshold (first paresthesia)' },
    { keys: 'd', action: 'mark discomfort threshold (amplitude drops at once)' },
  ],
  therapy: [
    { keys: '↑ / ↓', action: 'amplitude one step up / down, inside the window' },
    { keys: 'c', action: 'commit therapy to the generator (asks first)' },
    { keys: 'm', action: 'patient mode on (set a PIN) / off (the PIN)' },
    { keys: 'w', action: 'set the patient window: MIN-MAX mA, Enter' },
    { keys: 'o', action: 'output on / off' },
  ],
  diary: [
    { keys: 'n', action: 'enter an NRS score (0-10), Enter saves (outside the trial dates it asks first: y stores)' },
    { keys: 'p', action: 'enter a PDI total (0-70), Enter saves (asks first outside the trial dates)' },
    { keys: 'f', action: 'switch phase: baseline / trial' },
    { keys: 'r', action: 'reload entries' },
  ],
};

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
