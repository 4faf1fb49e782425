import type { HardwareLimits } from '../../protocol/index.js';
import { amplitudeWindow, type AmplitudeWindow } from './amplitude-window.js';
import type { ImpedanceCheck } from './impedance-check.js';
import type { Posture, SessionData, ThresholdRecord } from './session-types.js';

/** Stored thresholds, looked up by the pulse width, electrode configuration and posture they belong to. */

export function findRecord(
  records: readonly ThresholdRecord[],
  pulseWidthUs: number,
  contacts: string,
  posture: Posture,
): ThresholdRecord | null {
  return (
    records.find((r) => r.pulseWidthUs === pulseWidthUs && r.contacts === contacts && r.posture === posture) ?? null
  );
}

/** Replaces (or adds) the record for its key. */
export function putRecord(records: readonly ThresholdRecord[], record: ThresholdRecord): ThresholdRecord[] {
  return [
    ...records.filter(
      (r) =>
        !(r.pulseWidthUs === record.pulseWidthUs && r.contacts === record.contacts && r.posture === record.posture),
    ),
    record,
  ];
}

/** The record matching the generator's current program and the current posture. */
export function currentRecord(data: SessionData): ThresholdRecord | null {
  const g = data.generator;
  return g ? findRecord(data.thresholds, g.pulseWidthUs, g.contacts, data.posture) : null;
}

/** The measured window for the current program and posture, narrowed by hardware and charge density. */
export function measuredWindow(data: SessionData): AmplitudeWindow | null {
  const g = data.generator;
  const r = currentRecord(data);
  if (!g || !data.limits || !r || r.sensoryUa === null || r.discomfortUa === null) return null;
  return windowOf(r, data.limits, data.impedance ?? null);
}

export function windowOf(
  r: ThresholdRecord,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): AmplitudeWindow | null {
  if (r.sensoryUa === null || r.discomfortUa === null) return null;
  return amplitudeWindow(
    { sensoryUa: r.sensoryUa, discomfortUa: r.discomfortUa },
    r.pulseWidthUs,
    r.contacts,
    limits,
    impedance,
  );
}
