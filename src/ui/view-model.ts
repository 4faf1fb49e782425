/**
 * What the bedside screen shows, as plain data. The session controller's snapshot is mapped into this
 * (src/ui/session-view.ts); components render it and nothing else. No clinical arithmetic happens here:
 * windows, clamps and flags arrive already decided by the session.
 */

export type LinkState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';
export type Posture = 'supine' | 'sitting' | 'standing' | 'walking';
export const POSTURES: readonly Posture[] = ['supine', 'sitting', 'standing', 'walking'];
export type NoticeKind = 'clamp' | 'reject' | 'warn' | 'stop' | 'fault' | 'info';

export interface LinkView {
  state: LinkState;
  /** `simulator` for the built-in generator, `serial` for a port, null before a link exists. */
  source: 'simulator' | 'serial' | null;
  /** "simulator" or the port path. */
  description: string;
  /** Why the link is down or reconnecting, when known. */
  reason?: string;
}

/** The generator's own state, as last read back from it. */
export interface GeneratorView {
  output: 'on' | 'off';
  mode: 'test' | 'therapy' | 'none';
  rateHz: number;
  pulseWidthUs: number;
  amplitudeUa: number;
  /** One of + - 0 per contact. */
  contacts: string;
  batteryPct: number;
  faults: string[];
  committed: boolean;
}

export interface RangeView {
  min: number;
  max: number;
  step: number;
}

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

/**
 * Charge density of the program on the generator, decided by the session (issue 19): the most
 * loaded contact, its share of its polarity's current, its density now next to the limit.
 */
export interface ChargeDensityView {
  contact: number;
  polarity: 'anode' | 'cathode';
  sharePct: number;
  densityUcPerCm2: number;
  limitUcPerCm2: number;
  /** The highest amplitude the density limit allows for this program, µA. */
  densityMaxUa: number;
  /** `impedance`: shares from the last valid check; `worst-case`: the whole amplitude on one contact. */
  basis: 'impedance' | 'worst-case';
  /** Why the worst case applies; null with basis impedance. */
  reason: string | null;
}

export interface NoticeView {
  kind: NoticeKind;
  /** One line a person can read: what was asked, what was applied, which limit. */
  text: string;
  at?: string;
}

export interface SessionView {
  link: LinkView;
  /** The session machine's state, e.g. `ready`, `search`, `therapy`, in words. */
  phase: string;
  generator: GeneratorView | null;
  /** Hardware ranges from the handshake. */
  limits: { amplitudeUa: RangeView; pulseWidthUs: RangeView; rateHz: RangeView; contactCount: number } | null;
  /** The electrode configuration the session holds (+ - 0 per contact). */
  electrodes: string;
  posture: Posture;
  thresholds: ThresholdsView;
  /** The amplitude window the session enforces now (already narrowed by hardware and charge density). */
  window: { lowUa: number; highUa: number } | null;
  search: SearchView;
  patientMode: boolean;
  /** The window patient mode keeps amplitude in; `clinicianSet` false when it is the measured window. */
  patientWindow: { lowUa: number; highUa: number; clinicianSet?: boolean } | null;
  impedance: ImpedanceView | null;
  /** The most loaded contact and its charge density next to the limit; null/absent without a program. */
  chargeDensity?: ChargeDensityView | null;
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
  /**
   * H15: the session's battery estimate (%, never rising by itself) and output time left (ms, null
   * while the drain is unknown); `level` is the warning the session has given. Null before a reading.
   */
  battery?: BatteryView | null;
  /** H4: amplitude ramping up step by step (µA, mA/s); null when no ramp runs. */
  ramp?: { fromUa: number; toUa: number; nowUa: number; maPerS: number } | null;
}

export interface BatteryView {
  pct: number;
  remainingMs: number | null;
  level: 'ok' | 'low' | 'very-low';
}

/** A view before any connection: everything unknown, output unknown. */
export function emptySessionView(link: Partial<LinkView> = {}): SessionView {
  return {
    link: { state: 'disconnected', source: null, description: '', ...link },
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
