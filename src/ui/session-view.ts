import { instantFromDate } from '../diary/instant.js';
import type { ImpedanceCheck } from '../session/impedance-check.js';
import type { Fact, GeneratorFacts, Mismatch } from '../session/mismatch.js';
import type { Notice } from '../session/notice.js';
import { noticeSentence } from '../session/notice-words.js';
import type { SessionView } from '../session/session-controller.js';
import { formatClock, formatContacts, formatMa } from './format.js';
import type { ImpedanceView, NoticeView, ScreenView } from './screen-view.js';

export interface ScreenFacts {
  source: 'simulator' | 'serial';
  nowMs: number;
  /** When the screen first saw a notice (epoch ms), so the status can say how old it is. */
  noticeAt?: (notice: Notice) => number | undefined;
}

/**
 * The session's view → the screen's view: the session's values as they are (µA), with what only the
 * screen knows added (link source, notices and differences in words, ISO times). Selection only:
 * every window, threshold and decision is the session's.
 */
export function toScreenView(v: SessionView, facts: ScreenFacts): ScreenView {
  const measuredSensory = v.thresholds?.sensoryUa ?? null;
  const estimate = v.estimate;
  return {
    link: { status: v.link.status, source: facts.source, description: v.link.description },
    phase: v.state,
    generator: v.generator,
    limits: v.limits
      ? {
          amplitudeUa: v.limits.amplitudeUa,
          pulseWidthUs: v.limits.pulseWidthUs,
          rateHz: v.limits.rateHz,
          contactCount: v.limits.contactCount,
        }
      : null,
    electrodes: v.generator?.contacts ?? '',
    posture: v.posture,
    thresholds: {
      // Without a measurement, a Weiss-law estimate is shown as such (never as a measured value).
      sensoryUa: measuredSensory ?? (estimate ? estimate.sensoryUa : null),
      discomfortUa: v.thresholds?.discomfortUa ?? null,
      estimated: measuredSensory === null && estimate !== null,
      posture: v.thresholds ? v.posture : null,
      pulseWidthUs: v.thresholds ? (v.generator?.pulseWidthUs ?? null) : (estimate?.pulseWidthUs ?? null),
    },
    window: v.window ? { lowUa: v.window.lowUa, highUa: v.window.highUa } : null,
    search: {
      active: v.phase === 'search',
      stepUa: v.searchStepUa ?? 0,
      dwellMs: v.dwellMs,
      nextStepAtMs: v.dwellRemainingMs > 0 ? facts.nowMs + v.dwellRemainingMs : null,
    },
    patientMode: v.patientMode,
    // The patient may move amplitude only inside this window (the session's, clinician-set or measured).
    patientWindow: v.patientWindow,
    impedance: impedanceView(v.impedance),
    chargeDensity: v.chargeDensity ?? null,
    lastNotice: lastImportantNotice(v.notices, facts.noticeAt),
    mismatch:
      [v.mismatch ? describeMismatch(v.mismatch) : null, v.phase === 'blocked' ? blockedReason(v.notices) : null]
        .filter((x) => x !== null)
        .join('; ') || null,
    mismatchSince: v.mismatch ? isoOf(v.mismatch.since) : null,
    stopPending: v.stopPending,
    outputStillOn: outputStillOn(v.mismatch, v.generator),
    ramp: v.ramp ?? null,
    battery: v.battery ? { pct: v.battery.pct, remainingMs: v.battery.remainingMs, level: v.battery.level } : null,
  };
}

const isoOf = (ms: number): string => instantFromDate(new Date(ms)).text;

/** bb5-N3: our `output off` was answered with output on, and the generator still reads on. */
const outputStillOn = (m: Mismatch | null, g: SessionView['generator']): boolean =>
  m?.kind === 'output' && m.expected.output === 'off' && g?.output === 'on';

/** The session's last impedance check, its time as an ISO instant for the clock shown. */
function impedanceView(check: ImpedanceCheck | null): ImpedanceView | null {
  return check ? { at: isoOf(check.at), ohms: [...check.readings], flagged: [...check.flagged] } : null;
}

const FACT_LABEL: Record<Fact, string> = {
  amplitudeUa: 'amplitude',
  rateHz: 'rate',
  pulseWidthUs: 'pulse width',
  contacts: 'contacts',
  output: 'output',
  mode: 'mode',
};
const MISMATCH_LABEL: Record<Mismatch['kind'], string> = {
  readback: 'the generator applied other values than sent',
  output: 'the generator reports another output state than asked',
  external: 'changed outside the companion',
  reset: 'the generator was reset: what it ran before is lost',
};

function showFact(f: Fact, value: GeneratorFacts[Fact] | undefined): string {
  if (value === undefined) return '?';
  if (f === 'amplitudeUa') return formatMa(value as number);
  if (f === 'rateHz') return `${value} Hz`;
  if (f === 'pulseWidthUs') return `${value} µs`;
  if (f === 'contacts') return formatContacts(String(value));
  return String(value);
}

/** `amplitude expected 0.05 mA, generator 0.10 mA (the generator applied …) since 10:11:12; a acknowledges` */
export function describeMismatch(m: Mismatch): string {
  const facts = m.fields
    .map((f) => `${FACT_LABEL[f]} expected ${showFact(f, m.expected[f])}, generator ${showFact(f, m.reported[f])}`)
    .join('; ');
  return `${facts} (${MISMATCH_LABEL[m.kind]}) since ${formatClock(isoOf(m.since))}; a acknowledges`;
}

/**
 * A STOP's confirmation by the generator (info, output stop → off): it settles a "STOP held" or "not
 * confirmed" warning, so the status line shows it instead of leaving that warning up (bb4-F9).
 */
const settlesStop = (n: Notice) =>
  n.kind === 'info' &&
  n.field === 'output' &&
  n.requested === 'stop' &&
  n.applied === 'off' &&
  /confirmed|took effect/.test(n.reason);

/** A warning about a STOP itself ("STOP held", "STOP not confirmed"): what a STOP's confirmation answers. */
const warnsOfStop = (n: Notice) => n.kind === 'warn' && n.requested === 'stop';

const weighs = (n: Notice) => n.kind === 'clamp' || n.kind === 'reject' || n.kind === 'warn';

/**
 * The warning a STOP's confirmation (at `confirmedAt`) must not hide, or undefined: it replaces only
 * the STOP warning it answers, so another warning newer than that one stays on the line (bb5-N7: an
 * outside change found on the same reconnection as the held STOP's delivery). With no STOP warning
 * before it, only the notice just before it counts (the confirmation answers nothing there).
 */
function warningNotAnswered(notices: readonly Notice[], confirmedAt: number): Notice | undefined {
  const before = notices.slice(0, confirmedAt);
  const answered = before.findLastIndex((m) => warnsOfStop(m) || settlesStop(m));
  const since = before.slice(answered + 1);
  if (answered >= 0 && warnsOfStop(before[answered]!)) return since.findLast((m) => m.kind === 'warn');
  const last = since.findLast(weighs);
  return last?.kind === 'warn' ? last : undefined;
}

/**
 * The status line keeps the last clamp, rejection or warning, or a STOP's confirmation when it answers
 * the last of them; other information passes by.
 */
export function lastImportantNotice(
  notices: readonly Notice[],
  noticeAt: (notice: Notice) => number | undefined = () => undefined,
): NoticeView | null {
  for (let i = notices.length - 1; i >= 0; i--) {
    const n = notices[i]!;
    if (weighs(n) || settlesStop(n)) {
      const shown = (settlesStop(n) && warningNotAnswered(notices, i)) || n;
      const at = noticeAt(shown);
      return at === undefined
        ? { kind: shown.kind, text: describeNotice(shown) }
        : { kind: shown.kind, text: describeNotice(shown), at: new Date(at).toISOString() };
    }
  }
  return null;
}

/** Every notice as the session words it: one sentence naming its field (src/session/notice-words.ts). */
export function describeNotice(n: Notice): string {
  return noticeSentence(n);
}

function blockedReason(notices: readonly Notice[]): string {
  const n = [...notices].reverse().find((x) => x.field === 'generator' && x.kind === 'reject');
  return `programming blocked${n ? `: ${n.reason}` : ''}; B on screen 1 re-binds`;
}
