import { POSTURES, type SessionView } from './view-model.js';
import type { DiaryPhase, UiState } from './ui-state.js';
import { intent, openField, type KeyContext, type KeyInfo, type KeyResult } from './key-result.js';

/** The keys of each screen (after STOP, fields, dialogs and the keys that work everywhere). */

export function connectKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
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

export function programKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
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

export function searchKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  if (input === 'p' || input === 'P') {
    const i = POSTURES.indexOf(ctx.view.posture);
    const next = POSTURES[(i + (input === 'p' ? 1 : -1) + POSTURES.length) % POSTURES.length]!;
    return { state, commands: [intent({ type: 'SET_POSTURE', posture: next })] };
  }
  if (input === 'b') {
    // A new search replaces what was measured: ask first, naming it (the dialog shows the window).
    if (measuredThresholds(ctx.view)) return { state: { ...state, dialog: { kind: 'search-restart' } }, commands: [] };
    return { state, commands: [intent({ type: 'SEARCH_START' })] };
  }
  if (input === 'i') return { state, commands: [intent({ type: 'IMPEDANCE_CHECK' })] };
  if (input === 's') return { state, commands: [intent({ type: 'MARK_SENSORY' })] };
  if (input === 'd') return { state, commands: [intent({ type: 'MARK_DISCOMFORT' })] };
  if (key.upArrow) return { state, commands: [intent({ type: 'AMPLITUDE_UP' })] };
  if (key.downArrow) return { state, commands: [intent({ type: 'AMPLITUDE_DOWN' })] };
  return { state, commands: [] };
}

export function therapyKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
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

export function diaryKey(state: UiState, input: string, ctx: KeyContext): KeyResult {
  // Without a diary, say so before a score is typed, not after (issue 13).
  if ((input === 'n' || input === 'p') && ctx.diaryClosed !== undefined)
    return { state: { ...state, message: ctx.diaryClosed }, commands: [] };
  if (input === 'n') return openField(state, 'nrs');
  if (input === 'p') return openField(state, 'pdi');
  if (input === 'f') {
    const diaryPhase: DiaryPhase = state.diaryPhase === 'trial' ? 'baseline' : 'trial';
    return { state: { ...state, diaryPhase, message: `new entries: ${diaryPhase} phase` }, commands: [] };
  }
  if (input === 'r') return { state, commands: [{ kind: 'diary-reload' }] };
  return { state, commands: [] };
}

/** True when the view holds a measured threshold (not an estimate) that a new search would discard. */
export function measuredThresholds(view: SessionView): boolean {
  const t = view.thresholds;
  return t.discomfortUa !== null || (t.sensoryUa !== null && !t.estimated);
}
