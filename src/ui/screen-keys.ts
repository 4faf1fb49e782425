import { POSTURES } from '../session/session-types.js';
import type { ScreenView } from './screen-view.js';
import type { DiaryPhase, UiState } from './ui-state.js';
import { bindingFor, type ScreenAction } from './key-map.js';
import { intent, openField, type KeyContext, type KeyInfo, type KeyResult } from './key-result.js';

/**
 * A screen's key, dispatched from the key table (key-map.ts): the row's intent goes as it is; a screen
 * action is done here. A key with no row on this screen does nothing (issue 18: one source of keys).
 */
export function screenKey(state: UiState, input: string, key: KeyInfo, ctx: KeyContext): KeyResult {
  const name = keyName(input, key);
  const found = bindingFor(state.screen, name);
  if (!found) return { state, commands: [] };
  if ('intent' in found.send) {
    const next = found.send.says === undefined ? state : { ...state, message: found.send.says };
    return { state: next, commands: [intent(found.send.intent)] };
  }
  return screenAction(found.send.screen, name, state, ctx);
}

/** The key as the table names it: `↑ ↓ ← →`, `Enter`, or the character typed. */
export function keyName(input: string, key: KeyInfo): string {
  if (key.upArrow) return '↑';
  if (key.downArrow) return '↓';
  if (key.leftArrow) return '←';
  if (key.rightArrow) return '→';
  if (key.return) return 'Enter';
  return input;
}

const none = (state: UiState): KeyResult => ({ state, commands: [] });
const say = (state: UiState, message: string): KeyResult => ({ state: { ...state, message }, commands: [] });

function screenAction(action: ScreenAction, name: string, state: UiState, ctx: KeyContext): KeyResult {
  const { view } = ctx;
  switch (action) {
    case 'port-up':
      return none({ ...state, portCursor: Math.max(0, state.portCursor - 1) });
    case 'port-down':
      return none({ ...state, portCursor: Math.min(Math.max(0, ctx.ports.length - 1), state.portCursor + 1) });
    case 'connect-chosen': {
      const port = ctx.ports[state.portCursor];
      if (port === undefined) return say(state, 'no port to connect to: press e to type a path or u for the simulator');
      return {
        state: { ...state, message: `connecting to ${port}` },
        commands: [{ kind: 'connect', port, baud: state.baud }],
      };
    }
    case 'type-port':
      return openField(state, 'port');
    case 'type-baud':
      return openField(state, 'baud');
    case 'simulator':
      return {
        state: { ...state, message: 'connecting to the built-in simulator' },
        commands: [{ kind: 'connect', baud: state.baud }],
      };
    case 'list-ports':
      return { state: { ...state, message: 'looking for ports' }, commands: [{ kind: 'list-ports' }] };
    case 'contact-left':
      return none({ ...state, contactCursor: Math.max(0, state.contactCursor - 1) });
    case 'contact-right':
      return none({ ...state, contactCursor: Math.min(Math.max(0, contactCount(view) - 1), state.contactCursor + 1) });
    case 'draft-contact':
      return draftContact(state, name, view);
    case 'apply-draft':
      if (state.draft === null) return say(state, 'no electrode change to apply');
      return {
        state: { ...state, draft: null, message: null },
        commands: [intent({ type: 'ELECTRODES', spec: state.draft })],
      };
    case 'discard-draft':
      return say({ ...state, draft: null }, 'electrode draft discarded');
    case 'output-toggle':
      return { state, commands: [intent({ type: view.generator?.output === 'on' ? 'OUTPUT_OFF' : 'OUTPUT_ON' })] };
    case 'posture-next':
    case 'posture-previous': {
      const i = POSTURES.indexOf(view.posture);
      const by = action === 'posture-next' ? 1 : -1;
      const posture = POSTURES[(i + by + POSTURES.length) % POSTURES.length]!;
      return { state, commands: [intent({ type: 'POSTURE', posture })] };
    }
    case 'search-begin':
      // A new search replaces what was measured: ask first, naming it (the dialog shows the window).
      if (measuredThresholds(view)) return none({ ...state, dialog: { kind: 'search-restart' } });
      return { state, commands: [intent({ type: 'SEARCH_START' })] };
    case 'commit-dialog':
      return none({ ...state, dialog: { kind: 'commit' } });
    case 'patient-mode':
      // Patient mode: on asks the clinician for a PIN; off only with that PIN (a deliberate act).
      if (!view.patientMode) return openField(state, 'pinSet');
      if (state.patientPin === null) return { state, commands: [intent({ type: 'PATIENT_MODE', on: false })] };
      return openField(state, 'pinEnter');
    case 'type-patient-window':
      return openField(state, 'patientWindow');
    case 'type-nrs':
    case 'type-pdi':
      // Without a diary, say so before a score is typed, not after (issue 13).
      if (ctx.diaryClosed !== undefined) return say(state, ctx.diaryClosed);
      return openField(state, action === 'type-nrs' ? 'nrs' : 'pdi');
    case 'diary-phase': {
      const diaryPhase: DiaryPhase = state.diaryPhase === 'trial' ? 'baseline' : 'trial';
      return say({ ...state, diaryPhase }, `new entries: ${diaryPhase} phase`);
    }
    case 'diary-reload':
      return { state, commands: [{ kind: 'diary-reload' }] };
    case 'quit-dialog':
      return none({ ...state, dialog: { kind: 'quit' } });
    case 'acknowledge':
      if (view.mismatchSince === null) return say(state, 'nothing to acknowledge: screen and generator agree');
      return {
        state: { ...state, message: 'difference acknowledged' },
        commands: [intent({ type: 'ACKNOWLEDGE_MISMATCH' })],
      };
    case 'bring-down':
      // One key, on every screen: amplitude above the window (an outside change) comes down into it at once,
      // also the programmed one while output is off (the session lowers it without turning output on).
      if (!aboveWindow(view)) return say(state, 'amplitude is not above the window: nothing to bring down');
      return {
        state: { ...state, message: 'bringing amplitude down into the window' },
        commands: [intent({ type: 'AMPLITUDE_DOWN' })],
      };
  }
}

function contactCount(view: ScreenView): number {
  return view.limits?.contactCount ?? view.generator?.contacts.length ?? view.electrodes.length;
}

/** `+`, `-` or `0` on the contact under the cursor, in the draft (nothing is sent until Enter). */
function draftContact(state: UiState, polarity: string, view: ScreenView): KeyResult {
  const count = contactCount(view);
  if (count === 0) return say(state, 'no generator: connect first');
  const base = (state.draft ?? view.electrodes).padEnd(count, '0').slice(0, count);
  const draft = base.slice(0, state.contactCursor) + polarity + base.slice(state.contactCursor + 1);
  return say({ ...state, draft }, 'electrode draft: Enter applies (amplitude goes to 0), x discards');
}

/** True when the view holds a measured threshold (not an estimate) that a new search would discard. */
export function measuredThresholds(view: ScreenView): boolean {
  const t = view.thresholds;
  return t.discomfortUa !== null || (t.sensoryUa !== null && !t.estimated);
}

/**
 * Amplitude above the window the session enforces (the measured one; the patient's in patient mode).
 * With output off too (bb3 F-L9): the program holds it, and output turned on elsewhere would deliver it.
 */
export function aboveWindow(view: ScreenView): boolean {
  const g = view.generator;
  const w = view.patientMode && view.patientWindow ? view.patientWindow : view.window;
  return g !== null && w !== null && g.amplitudeUa > w.highUa;
}
