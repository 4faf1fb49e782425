import type { Key } from 'ink';
import { SCREENS, type ScreenId } from './key-map.js';
import type { UiIntent } from './ui-intent.js';
import { FIELD_ACCEPTS, MIN_PIN_DIGITS, type DiaryPhase, type FieldKind, type UiState } from './ui-state.js';
import { POSTURES, type SessionView } from './view-model.js';

/**
 * One key press → the screen's next state plus the commands to run. Pure, so every key is testable
 * without a terminal. STOP is decided first, before help, dialogs or fields can see the key.
 */

export type UiCommand =
  | { kind: 'intent'; intent: UiIntent }
  /** `port` undefined: the built-in simulator. */
  | { kind: 'connect'; port?: string; baud: number }
  | { kind: 'list-ports' }
  | { kind: 'diary-add'; phase: DiaryPhase; nrs?: number; pdi?: number; outsideTrial?: boolean }
  | { kind: 'diary-reload' }
  /** `stop` false only when committed therapy should keep running after the companion exits. */
  | { kind: 'quit'; stop: boolean };

export interface KeyContext {
  view: SessionView;
  /** Port paths found on the connect screen. */
  ports: readonly string[];
}

export interface KeyResult {
  state: UiState;
  commands: UiCommand[];
}

export type KeyInfo = Partial<Key>;

const STOP: UiCommand = { kind: 'intent', intent: { type: 'STOP' } };
const intent = (i: UiIntent): UiCommand => ({ kind: 'intent', intent: i });

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
  if (input === 'q') return { state: { ...state, dialog: { kind: 'quit' } }, commands: [] };
  if (input === 'a') {
    if (ctx.view.mismatchSince === null)
      return { state: { ...state, message: 'nothing to acknowledge: screen and generator agree' }, commands: [] };
    return {
      state: { ...state, message: 'difference acknowledged' },
      commands: [intent({ type: 'ACKNOWLEDGE_MISMATCH' })],
    };
  }
  if (input === 'v') {
    // One key, on every screen: amplitude above the window (an outside change) comes down into it at once.
    if (!aboveWindow(ctx.view))
      return { state: { ...state, message: 'amplitude is not above the window: nothing to bring down' }, commands: [] };
    return {
      state: { ...state, message: 'bringing amplitude down into the window' },
      commands: [intent({ type: 'AMPLITUDE_DOWN' })],
    };
  }
  if (key.tab) return { state: switchScreen(state, step(state.screen, key.shift ? -1 : 1)), commands: [] };
  const screen = SCREENS.find((s) => s.digit === input);
  if (screen) return { state: switchScreen(state, screen.id), commands: [] };
  switch (state.screen) {
    case 'connect':
      return connectKey(state, input, key, ctx);
    case 'program':
      return programKey(state, input, key, ctx);
    case 'search':
      return searchKey(state, input, key, ctx);
    case 'therapy':
      return therapyKey(state, input, key, ctx);
    case 'diary':
      return diaryKey(state, input);
  }
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

function openField(state: UiState, kind: FieldKind, text = ''): KeyResult {
  return { state: { ...state, field: { kind, text }, message: null }, commands: [] };
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

/** Output on above the window the session enforces (the measured one; the patient's in patient mode). */
export function aboveWindow(view: SessionView): boolean {
  const g = view.generator;
  const w = view.patientMode && view.patientWindow ? view.patientWindow : view.window;
  return g !== null && g.output === 'on' && w !== null && g.amplitudeUa > w.highUa;
}

/** A committed program keeps running without the companion; only then may quitting leave output on. */
export function committedTherapyRunning(view: SessionView): boolean {
  const g = view.generator;
  return g !== null && g.output === 'on' && g.mode === 'therapy' && g.committed;
}

function connectKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const last = Math.max(0, ctx.ports.length - 1);
  if (key.upArrow) return { state: { ...state, portCursor: Math.max(0, state.portCursor - 1) }, commands: [] };
  if (key.downArrow) return { state: { ...state, portCursor: Math.min(last, state.portCursor + 1) }, commands: [] };
  if (key.return) {
    const port = ctx.ports[state.portCursor];
    if (port === undefined)
      return {
        state: { ...state, message: 'no port to connect to: press e to type a path or u for the simulator' },
        commands: [],
      };
    return {
      state: { ...state, message: `connecting to ${port}` },
      commands: [{ kind: 'connect', port, baud: state.baud }],
    };
  }
  if (input === 'e') return openField(state, 'port');
  if (input === 'b') return openField(state, 'baud');
  if (input === 'u')
    return {
      state: { ...state, message: 'connecting to the built-in simulator' },
      commands: [{ kind: 'connect', baud: state.baud }],
    };
  if (input === 'r') return { state: { ...state, message: 'looking for ports' }, commands: [{ kind: 'list-ports' }] };
  if (input === 'c')
    return { state: { ...state, message: 'connecting again' }, commands: [intent({ type: 'RECONNECT' })] };
  if (input === 'B')
    return {
      state: { ...state, message: 're-binding to the connected generator' },
      commands: [intent({ type: 'REBIND' })],
    };
  return { state, commands: [] };
}

function contactCount(view: SessionView): number {
  return view.limits?.contactCount ?? view.generator?.contacts.length ?? view.electrodes.length;
}

function programKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const count = contactCount(ctx.view);
  if (key.leftArrow) return { state: { ...state, contactCursor: Math.max(0, state.contactCursor - 1) }, commands: [] };
  if (key.rightArrow)
    return {
      state: { ...state, contactCursor: Math.min(Math.max(0, count - 1), state.contactCursor + 1) },
      commands: [],
    };
  if (input === '+' || input === '-' || input === '0') {
    if (count === 0) return { state: { ...state, message: 'no generator: connect first' }, commands: [] };
    const base = (state.draft ?? ctx.view.electrodes).padEnd(count, '0').slice(0, count);
    const draft = base.slice(0, state.contactCursor) + input + base.slice(state.contactCursor + 1);
    return {
      state: { ...state, draft, message: 'electrode draft: Enter applies (amplitude goes to 0), x discards' },
      commands: [],
    };
  }
  if (key.return) {
    if (state.draft === null) return { state: { ...state, message: 'no electrode change to apply' }, commands: [] };
    return {
      state: { ...state, draft: null, message: null },
      commands: [intent({ type: 'SET_ELECTRODES', contacts: state.draft })],
    };
  }
  if (input === 'x') return { state: { ...state, draft: null, message: 'electrode draft discarded' }, commands: [] };
  if (input === 'r') return { state, commands: [intent({ type: 'RATE_DOWN' })] };
  if (input === 'R') return { state, commands: [intent({ type: 'RATE_UP' })] };
  if (input === 'w') return { state, commands: [intent({ type: 'PULSE_WIDTH_DOWN' })] };
  if (input === 'W') return { state, commands: [intent({ type: 'PULSE_WIDTH_UP' })] };
  if (input === 'i') return { state, commands: [intent({ type: 'IMPEDANCE_CHECK' })] };
  return amplitudeAndOutputKey(state, input, key, ctx);
}

function amplitudeAndOutputKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (key.upArrow) return { state, commands: [intent({ type: 'AMPLITUDE_UP' })] };
  if (key.downArrow) return { state, commands: [intent({ type: 'AMPLITUDE_DOWN' })] };
  if (input === 'o')
    return { state, commands: [intent({ type: ctx.view.generator?.output === 'on' ? 'OUTPUT_OFF' : 'OUTPUT_ON' })] };
  return { state, commands: [] };
}

function searchKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (input === 'p' || input === 'P') {
    const i = POSTURES.indexOf(ctx.view.posture);
    const next = POSTURES[(i + (input === 'p' ? 1 : -1) + POSTURES.length) % POSTURES.length]!;
    return { state, commands: [intent({ type: 'SET_POSTURE', posture: next })] };
  }
  if (input === 'b') return { state, commands: [intent({ type: 'SEARCH_START' })] };
  if (input === 'i') return { state, commands: [intent({ type: 'IMPEDANCE_CHECK' })] };
  if (input === 's') return { state, commands: [intent({ type: 'MARK_SENSORY' })] };
  if (input === 'd') return { state, commands: [intent({ type: 'MARK_DISCOMFORT' })] };
  if (key.upArrow) return { state, commands: [intent({ type: 'AMPLITUDE_UP' })] };
  if (key.downArrow) return { state, commands: [intent({ type: 'AMPLITUDE_DOWN' })] };
  return { state, commands: [] };
}

function therapyKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (input === 'c') return { state: { ...state, dialog: { kind: 'commit' } }, commands: [] };
  // Patient mode: on asks the clinician for a PIN; off only with that PIN (a deliberate act).
  if (input === 'm') {
    if (!ctx.view.patientMode) return openField(state, 'pinSet');
    if (state.patientPin === null)
      return { state: { ...state, patientPin: null }, commands: [intent({ type: 'PATIENT_MODE', on: false })] };
    return openField(state, 'pinEnter');
  }
  if (input === 'w') return openField(state, 'patientWindow');
  return amplitudeAndOutputKey(state, input, key, ctx);
}

function diaryKey(state: UiState, input: string): KeyResult {
  if (input === 'n') return openField(state, 'nrs');
  if (input === 'p') return openField(state, 'pdi');
  if (input === 'f') {
    const diaryPhase: DiaryPhase = state.diaryPhase === 'trial' ? 'baseline' : 'trial';
    return { state: { ...state, diaryPhase, message: `new entries: ${diaryPhase} phase` }, commands: [] };
  }
  if (input === 'r') return { state, commands: [{ kind: 'diary-reload' }] };
  return { state, commands: [] };
}
