import type { GeneratorState } from '../../protocol/index.js';
import { notice, type Notice } from './notice.js';
import { uaToMa } from './units.js';

/**
 * H4 with "accepted only when applied" (README): a ramp the generator did not follow to its target
 * (another controller changed the program, telemetry or an event showed a surprise, the read-back did
 * not rise) ends there; its request is not accepted, and one warning says where amplitude stopped
 * and why. A ramp replaced by the person's next key is not cut short: the new decision answers for
 * itself. A ramp a STOP ended is told the same way, as information, with the STOP's confirmation (bb5-N5:
 * a Ctrl+C mid-ramp said "ramping up from 0.2 to 1 mA" and "STOP: output off", never where it stopped).
 */
export interface RampCut {
  targetUa: number;
  why: string;
}

export const CUT_BY = {
  telemetry: 'the generator changed without the companion (seen in its telemetry)',
  event: 'the generator reported a change or event of its own',
  stop: 'STOP ended it',
} as const;

/** Where the ramp stopped (`now` read back after the surprise or the STOP) and why. */
export function rampCutNotice(cut: RampCut, now: GeneratorState, kind: 'warn' | 'info' = 'warn'): Notice {
  const at =
    now.output === 'on' ? `${uaToMa(now.amplitudeUa)} mA` : `output off (${uaToMa(now.amplitudeUa)} mA programmed)`;
  return notice(
    kind,
    'amplitude',
    uaToMa(cut.targetUa),
    uaToMa(now.amplitudeUa),
    `the ramp to ${uaToMa(cut.targetUa)} mA stopped before its target, at ${at}: ${cut.why}; not applied in full`,
  );
}

/** A ramp step's read-back that does not move on towards the target (output off, amplitude not risen). */
export function rampStepSurprise(targetUa: number, before: GeneratorState | null, now: GeneratorState): RampCut | null {
  if (now.amplitudeUa >= targetUa && now.output === 'on') return null;
  if (now.output === 'on' && now.amplitudeUa > (before?.amplitudeUa ?? -1)) return null;
  return {
    targetUa,
    why: now.output === 'on' ? 'the generator did not raise amplitude' : 'the generator turned output off',
  };
}
