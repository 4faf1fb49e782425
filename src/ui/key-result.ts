import type { Key } from 'ink';
import type { SessionRequest } from './ui-ports.js';
import type { DiaryPhase, FieldKind, UiState } from './ui-state.js';
import type { ScreenView } from './screen-view.js';

/** Work a key press asks for: an intent for the session as it is, or the shell's (connect, diary, quit). */
export type UiCommand =
  | { kind: 'intent'; intent: SessionRequest }
  /** `port` undefined: the built-in simulator. */
  | { kind: 'connect'; port?: string; baud: number }
  | { kind: 'list-ports' }
  | { kind: 'diary-add'; phase: DiaryPhase; nrs?: number; pdi?: number; outsideTrial?: boolean }
  | { kind: 'diary-reload' }
  /** `stop` false only when committed therapy should keep running after the companion exits. */
  | { kind: 'quit'; stop: boolean };

export interface KeyContext {
  view: ScreenView;
  /** Port paths found on the connect screen. */
  ports: readonly string[];
  /** Why no diary is open (n and p say so before a score is typed); absent when one is open. */
  diaryClosed?: string | undefined;
}

/** What one key press yields: the screen's next state and the commands to run (see key-handler.ts). */
export interface KeyResult {
  state: UiState;
  commands: UiCommand[];
}

export type KeyInfo = Partial<Key>;

export const STOP: UiCommand = { kind: 'intent', intent: { type: 'STOP' } };
export const intent = (i: SessionRequest): UiCommand => ({ kind: 'intent', intent: i });

export function openField(state: UiState, kind: FieldKind, text = ''): KeyResult {
  return { state: { ...state, field: { kind, text }, message: null }, commands: [] };
}
