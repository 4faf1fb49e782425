import type { Program } from '../link/generator-link.js';
import { CLINICAL_PULSE_WIDTH_US, CLINICAL_RATE_HZ, clampPulseWidth, clampRate } from './tonic-clamps.js';
import { isOnGrid } from './step-grid.js';
import { notice, type Notice } from './notice.js';
import type { SessionData } from './session-types.js';

/**
 * The program every new SET starts from: the generator's read-back, with a rate or pulse width
 * outside the clinical window (a reset generator, another controller) replaced by its clamp, said so.
 */
export interface Base {
  program: Program;
  /** True when rate and pulse width were already valid (only then may amplitude change while output is on). */
  valid: boolean;
  notices: Notice[];
}

export function baseProgram(data: SessionData): Base | null {
  const g = data.generator;
  const limits = data.limits;
  if (!g || !limits) return null;
  const notices: Notice[] = [];
  const rateOk =
    g.rateHz >= CLINICAL_RATE_HZ.min && g.rateHz <= CLINICAL_RATE_HZ.max && isOnGrid(g.rateHz, limits.rateHz);
  const pwOk =
    g.pulseWidthUs >= CLINICAL_PULSE_WIDTH_US.min &&
    g.pulseWidthUs <= CLINICAL_PULSE_WIDTH_US.max &&
    isOnGrid(g.pulseWidthUs, limits.pulseWidthUs);
  let rateHz = g.rateHz;
  let pulseWidthUs = g.pulseWidthUs;
  if (!rateOk) {
    rateHz = clampRate(g.rateHz, limits).applied ?? g.rateHz;
    notices.push(
      notice(
        'clamp',
        'rate',
        g.rateHz,
        rateHz,
        `generator's rate ${g.rateHz} Hz is outside the clinical window ${CLINICAL_RATE_HZ.min}–${CLINICAL_RATE_HZ.max} Hz`,
      ),
    );
  }
  if (!pwOk) {
    pulseWidthUs = clampPulseWidth(g.pulseWidthUs, limits).applied ?? g.pulseWidthUs;
    notices.push(
      notice(
        'clamp',
        'pulseWidth',
        g.pulseWidthUs,
        pulseWidthUs,
        `generator's pulse width ${g.pulseWidthUs} µs is outside the clinical window ${CLINICAL_PULSE_WIDTH_US.min}–${CLINICAL_PULSE_WIDTH_US.max} µs`,
      ),
    );
  }
  return {
    program: { rateHz, pulseWidthUs, amplitudeUa: g.amplitudeUa, contacts: g.contacts },
    valid: rateOk && pwOk,
    notices,
  };
}
