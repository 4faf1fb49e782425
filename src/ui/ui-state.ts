import type { ScreenId } from './key-map.js';

/** `pinSet`: the clinician's PIN when turning patient mode on; `pinEnter`: asked to leave patient mode. */
export type FieldKind = 'port' | 'baud' | 'nrs' | 'pdi' | 'patientWindow' | 'pinSet' | 'pinEnter';
export type DiaryPhase = 'baseline' | 'trial';

export interface TextField {
  kind: FieldKind;
  text: string;
}

export type Dialog =
  | { kind: 'commit' }
  | { kind: 'quit' }
  /** `b` on the search screen would discard thresholds already measured: ask first (issue 13). */
  | { kind: 'search-restart' }
  /** A diary entry outside the trial dates: store it anyway? */
  | { kind: 'outside-trial'; entry: { phase: DiaryPhase; nrs?: number; pdi?: number }; question: string };

/**
 * The screen's own state: which screen, overlays, cursors and half-typed fields. Nothing in here
 * reaches the generator until a key handler turns it into an intent.
 */
export interface UiState {
  screen: ScreenId;
  help: boolean;
  /** Which screen's keys the help overlay shows (← / → page through them). */
  helpScreen: ScreenId;
  dialog: Dialog | null;
  field: TextField | null;
  /** 0-based contact under the cursor on the program screen. */
  contactCursor: number;
  /** Electrode configuration being edited, not yet sent; null when none. */
  draft: string | null;
  portCursor: number;
  /** Baud rate for the next port connection. */
  baud: number;
  diaryPhase: DiaryPhase;
  /** A line for the person about what the last key did locally (not a session notice). */
  message: string | null;
  /**
   * The clinician's PIN for leaving patient mode, set when it was turned on. It stays in this screen
   * (never sent, never stored): leaving patient mode is a deliberate act the patient cannot stumble into.
   */
  patientPin: string | null;
}

/** A PIN has at least this many digits. */
export const MIN_PIN_DIGITS = 4;

export const DEFAULT_BAUD = 115200;

export function initialUiState(overrides: Partial<UiState> = {}): UiState {
  return {
    screen: 'program',
    help: false,
    helpScreen: 'program',
    dialog: null,
    field: null,
    contactCursor: 0,
    draft: null,
    portCursor: 0,
    baud: DEFAULT_BAUD,
    diaryPhase: 'trial',
    message: null,
    patientPin: null,
    ...overrides,
  };
}

/** Which characters each field accepts; space is never one of them (space is STOP). */
export const FIELD_ACCEPTS: Record<FieldKind, RegExp> = {
  port: /^[\x21-\x7e]$/,
  baud: /^[0-9]$/,
  nrs: /^[0-9]$/,
  pdi: /^[0-9]$/,
  // MIN-MAX in mA, e.g. 1.2-1.8 (no space: space is STOP).
  patientWindow: /^[0-9.-]$/,
  pinSet: /^[0-9]$/,
  pinEnter: /^[0-9]$/,
};

/** Fields whose text is never shown (drawn as *). */
export const FIELD_HIDDEN: ReadonlySet<FieldKind> = new Set(['pinSet', 'pinEnter']);

export const FIELD_LABEL: Record<FieldKind, string> = {
  port: 'Port path',
  baud: 'Baud rate',
  nrs: 'NRS 0-10',
  pdi: 'PDI total 0-70',
  patientWindow: 'Patient window MIN-MAX mA',
  pinSet: `Clinician PIN to leave patient mode later (${MIN_PIN_DIGITS}+ digits)`,
  pinEnter: 'Clinician PIN to leave patient mode',
};
