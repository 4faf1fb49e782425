import type { GeneratorState } from '../../protocol/index.js';
import { supersedeMismatch } from './mismatch.js';
import { rampCutNotice, rampStepSurprise } from './ramp-cut.js';
import type { Ramp } from './ramp.js';
import { withNotices, type SessionContext } from './session-context.js';

/**
 * A ramp step was applied (H4): the read-back is adopted; the ramp ends at its target or on any
 * surprise. Its plan ("ramping up from … to … mA") is said with the first step the generator confirmed
 * (amplitude rose), never before (bb4-F6: a ramp the link cut before any step says "not confirmed" only).
 */
export function rampedStep(ctx: SessionContext, state: GeneratorState): Partial<SessionContext> {
  const ramp = ctx.ramp;
  const rose = state.output === 'on' && state.amplitudeUa > (ctx.generator?.amplitudeUa ?? -1);
  const onCourse = ramp !== null && rose && state.amplitudeUa < ramp.targetUa;
  const cut = ramp !== null && !onCourse ? rampStepSurprise(ramp.targetUa, ctx.generator, state) : null;
  const said = [...(rose ? (ramp?.confirmed ?? []) : []), ...(cut ? [rampCutNotice(cut, state)] : [])];
  return {
    generator: state,
    expectedRev: state.programRev,
    ramp: onCourse ? planSaid(ramp) : null,
    mismatch: supersedeMismatch(ctx.mismatch, state, ['amplitudeUa', 'rateHz', 'pulseWidthUs', 'contacts']),
    ...(said.length ? withNotices(ctx, said, cut !== null) : {}),
  };
}

/** The ramp once its plan was said: nothing left to say on its later steps. */
function planSaid(ramp: Ramp): Ramp {
  const { confirmed, ...rest } = ramp;
  return confirmed ? rest : ramp;
}
