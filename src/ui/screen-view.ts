import type { GeneratorState, HardwareLimits } from '../../protocol/index.js';
import type { LinkStatus } from '../link/generator-link.js';
import type { NoticeKind } from '../session/notice.js';
import type { SessionView } from '../session/session-controller.js';
import type { Posture } from '../session/session-types.js';

/** The link as the screen shows it: the session's status, where it goes, and why it is down. */
export interface LinkView {
  status: LinkStatus;
  /** `simulator` for the built-in generator, `serial` for a port, null before a link exists. */
  source: 'simulator' | 'serial' | null;
  /** "simulator" or the port path. */
  description: string;
  /** Why the link is down or reconnecting, when known. */
  reason?: string;
}

/** Thresholds as shown: measured ones, else the session's Weiss-law estimate marked as such (µA). */
export interface ThresholdsView {
  sensoryUa: number | null;
  discomfortUa: number | null;
  /** True when the sensory value is a Weiss-law estimate, not a measurement. */
  estimated: boolean;
  posture: Posture | null;
  pulseWidthUs: number | null;
}

export interface SearchView {
  active: boolean;
  /** Step the machine will take per key press, µA. */
  stepUa: number;
  dwellMs: number;
  /** Epoch ms from which the next step is allowed; null when a step may be taken now. */
  nextStepAtMs: number | null;
}

export interface ImpedanceView {
  /** ISO instant of the check. */
  at: string;
  /** One reading per contact: ohms, 'open' or 'short'. */
  ohms: Array<number | 'open' | 'short'>;
  /** 1-based contact numbers the session flagged (open, short or out of range). */
  flagged: number[];
}

export interface NoticeView {
  kind: NoticeKind;
  /** One line a person can read: what was asked, what was applied, which limit. */
  text: string;
  at?: string;
}

/**
 * What the bedside screen shows, as plain data: the session's own view (src/session/session-controller.ts,
 * amplitudes in µA) with the screen's facts added (link source, notices and differences in words, ISO
 * times), built in src/ui/session-view.ts. Components render it and format mA where they draw. No
 * clinical arithmetic happens here: windows, clamps and flags arrive already decided by the session.
 */
export interface ScreenView {
  link: LinkView;
  /** The session machine's state, e.g. `ready`, `search`, `therapy`, in words. */
  phase: string;
  /** The generator's own state, as last read back from it. */
  generator: GeneratorState | null;
  /** Hardware ranges from the handshake. */
  limits: Pick<HardwareLimits, 'amplitudeUa' | 'pulseWidthUs' | 'rateHz' | 'contactCount'> | null;
  /** The electrode configuration the session holds (+ - 0 per contact). */
  electrodes: string;
  posture: Posture;
  thresholds: ThresholdsView;
  /** The amplitude window the session enforces now (already narrowed by hardware and charge density). */
  window: Pick<NonNullable<SessionView['window']>, 'lowUa' | 'highUa'> | null;
  search: SearchView;
  patientMode: boolean;
  /** The window patient mode keeps amplitude in; `set` when the clinician set it, else the measured window. */
  patientWindow: SessionView['patientWindow'];
  impedance: ImpedanceView | null;
  /** The most loaded contact and its charge density next to the limit; null/absent without a program. */
  chargeDensity?: SessionView['chargeDensity'];
  lastNotice: NoticeView | null;
  /** Set when the shown and the generator's state differ, or programming is blocked (H10, H13). */
  mismatch: string | null;
  /**
   * When the generator began to differ from what the companion expected (ISO instant), null when it
   * does not; the `!!` line stays until `a` acknowledges it or a re-read finds it resolved (H10/H17).
   */
  mismatchSince: string | null;
  /** A STOP was asked for and the generator has not confirmed it yet. */
  stopPending: boolean;
  /** bb5-N3: the generator's read after our own `output off` says output is still on (optional: false). */
  outputStillOn?: boolean;
  /**
   * H15: the session's battery estimate (%, never rising by itself) and output time left (ms, null
   * while the drain is unknown); `level` is the warning the session has given. Null before a reading.
   */
  battery?: Pick<NonNullable<SessionView['battery']>, 'pct' | 'remainingMs' | 'level'> | null;
  /** H4: amplitude ramping up step by step (µA, mA/s); null when no ramp runs. */
  ramp?: SessionView['ramp'];
  /** H13, PostgreSQL away: "bindings from local copy of <time>", re-binds waiting (PatientBinding.note). */
  bindingNote?: string | null;
  /** H13: re-binds of this station the server did not take (another station re-bound the patient). */
  bindingConflicts?: readonly string[];
}

/** A screen before any connection: everything unknown, output unknown. */
export function emptyScreenView(link: Partial<LinkView> = {}): ScreenView {
  return {
    link: { status: 'disconnected', source: null, description: '', ...link },
    phase: 'disconnected',
    generator: null,
    limits: null,
    electrodes: '',
    posture: 'supine',
    thresholds: { sensoryUa: null, discomfortUa: null, estimated: false, posture: null, pulseWidthUs: null },
    window: null,
    search: { active: false, stepUa: 0, dwellMs: 0, nextStepAtMs: null },
    patientMode: false,
    patientWindow: null,
    impedance: null,
    chargeDensity: null,
    lastNotice: null,
    mismatch: null,
    mismatchSince: null,
    stopPending: false,
    battery: null,
  };
}
