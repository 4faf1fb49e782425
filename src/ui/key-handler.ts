import { SCREENS, type ScreenId } from './key-map.js';
import { FIELD_ACCEPTS, MIN_PIN_DIGITS, type FieldKind, type UiState } from './ui-state.js';
import type { ScreenView } from './screen-view.js';
import { STOP, intent, type KeyContext, type KeyInfo, type KeyResult } from './key-result.js';
import { screenKey } from './screen-keys.js';

export type { KeyContext, KeyInfo, KeyResult, UiCommand } from './key-result.js';

/**
 * One key press → the screen's next state plus the commands to run. Pure, so every key is testable
 * without a terminal. STOP is decided first, before help, dialogs or fields can see the key.
 */

/** True for the keys that must stop stimulation before anything else happens. */
export function isStopKey(input: string, key: KeyInfo): boolean {
  // A paste arrives as one string: any space in it is still STOP.
  return input.includes(' ') || (key.ctrl === true && input === 'c');
}

/**
 * Ink hands over several characters at once when they arrive together (fast typing, a paste, a
 * terminal that batches). Each is one key press here, as if typed one by one.
 */
export function splitKeys(input: string, key: KeyInfo): Array<[string, KeyInfo]> {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  return chars.map((ch): [string, KeyInfo] => {
    if (ch === '\r' || ch === '\n') return ['', { return: true }];
    if (ch === '\t') return ['', { tab: true }];
    if (ch === '\u007F' || ch === '\b') return ['', { backspace: true }];
    return [ch, { shift: ch !== ch.toLowerCase() }];
  });
}

export function handleKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (key.ctrl && input === 'c')
    return { state: { ...state, dialog: null }, commands: [STOP, { kind: 'quit', stop: true }] };
  if (input.includes(' ')) {
    // A pending confirmation is void once stimulation is stopped; a half-typed field is kept.
    return { state: { ...state, dialog: null, message: 'STOP sent' }, commands: [STOP] };
  }
  if (state.field) return fieldKey(state, input, key);
  if (state.dialog) return dialogKey(state, input, key, ctx);
  if (input === '?') return { state: { ...state, help: !state.help, helpScreen: state.screen }, commands: [] };
  if (state.help) return helpKey(state, key);
  if (key.escape) return { state: { ...state, message: null }, commands: [] };
  if (key.tab) return { state: switchScreen(state, step(state.screen, key.shift ? -1 : 1)), commands: [] };
  const screen = SCREENS.find((s) => s.digit === input);
  if (screen) return { state: switchScreen(state, screen.id), commands: [] };
  return screenKey(state, input, key, ctx);
}

function helpKey(state: UiState, key: KeyInfo): KeyResult {
  if (key.escape) return { state: { ...state, help: false }, commands: [] };
  if (key.leftArrow || key.rightArrow || key.tab) {
    return {
      state: { ...state, helpScreen: step(state.helpScreen, key.leftArrow || (key.tab && key.shift) ? -1 : 1) },
      commands: [],
    };
  }
  return { state, commands: [] };
}

function step(screen: ScreenId, by: number): ScreenId {
  const i = SCREENS.findIndex((s) => s.id === screen);
  const next = SCREENS[(i + by + SCREENS.length) % SCREENS.length];
  return next ? next.id : screen;
}

function switchScreen(state: UiState, screen: ScreenId): UiState {
  return { ...state, screen, message: null };
}

function fieldKey(state: UiState, input: string, key: KeyInfo): KeyResult {
  const field = state.field!;
  if (key.escape) return { state: { ...state, field: null }, commands: [] };
  if (key.backspace || key.delete)
    return { state: { ...state, field: { ...field, text: field.text.slice(0, -1) } }, commands: [] };
  if (key.return) return submitField({ ...state, field: null }, field.kind, field.text);
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow)
    return { state, commands: [] };
  const accepted = [...input].filter((ch) => FIELD_ACCEPTS[field.kind].test(ch)).join('');
  return { state: { ...state, field: { ...field, text: field.text + accepted } }, commands: [] };
}

function submitField(state: UiState, kind: FieldKind, text: string): KeyResult {
  if (text === '') return { state: { ...state, message: 'nothing entered' }, commands: [] };
  switch (kind) {
    case 'port':
      return {
        state: { ...state, message: `connecting to ${text}` },
        commands: [{ kind: 'connect', port: text, baud: state.baud }],
      };
    case 'baud':
      return { state: { ...state, baud: Number(text), message: `baud ${Number(text)}` }, commands: [] };
    case 'nrs':
      return { state, commands: [{ kind: 'diary-add', phase: state.diaryPhase, nrs: Number(text) }] };
    case 'pdi':
      return { state, commands: [{ kind: 'diary-add', phase: state.diaryPhase, pdi: Number(text) }] };
    case 'patientWindow': {
      // Reading the two numbers typed, nothing more: the session clamps them and says so.
      const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
      if (!m) return { state: { ...state, message: `'${text}' is not MIN-MAX in mA, e.g. 1.2-1.8` }, commands: [] };
      return { state, commands: [intent({ type: 'PATIENT_WINDOW', minMa: Number(m[1]), maxMa: Number(m[2]) })] };
    }
    case 'pinSet':
      if (text.length < MIN_PIN_DIGITS)
        return {
          state: { ...state, message: `a PIN has at least ${MIN_PIN_DIGITS} digits: patient mode stays off` },
          commands: [],
        };
      return {
        state: { ...state, patientPin: text, message: 'patient mode on: m and this PIN leave it' },
        commands: [intent({ type: 'PATIENT_MODE', on: true })],
      };
    case 'pinEnter':
      if (text !== state.patientPin)
        return { state: { ...state, message: 'wrong PIN: patient mode stays on' }, commands: [] };
      return {
        state: { ...state, patientPin: null, message: 'patient mode off' },
        commands: [intent({ type: 'PATIENT_MODE', on: false })],
      };
  }
}

function dialogKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const dialog = state.dialog!;
  const close = { ...state, dialog: null };
  if (key.escape || input === 'n') return { state: close, commands: [] };
  if (dialog.kind === 'commit' && (input === 'y' || key.return))
    return { state: close, commands: [intent({ type: 'COMMIT' })] };
  if (dialog.kind === 'search-restart' && (input === 'y' || key.return))
    return { state: close, commands: [intent({ type: 'SEARCH_START' })] };
  // Only an explicit y stores an entry outside the trial (Enter could be a habit from the NRS field).
  if (dialog.kind === 'outside-trial' && input === 'y')
    return { state: close, commands: [{ kind: 'diary-add', ...dialog.entry, outsideTrial: true }] };
  if (dialog.kind === 'quit') {
    if (input === 's' || key.return) return { state: close, commands: [STOP, { kind: 'quit', stop: true }] };
    if (input === 'k' && committedTherapyRunning(ctx.view))
      return { state: close, commands: [{ kind: 'quit', stop: false }] };
  }
  return { state, commands: [] };
}

/** A committed program keeps running without the companion; only then may quitting leave output on. */
export function committedTherapyRunning(view: ScreenView): boolean {
  const g = view.generator;
  return g !== null && g.output === 'on' && g.mode === 'therapy' && g.committed;
}
