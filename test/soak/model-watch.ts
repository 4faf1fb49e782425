import type { GeneratorModel } from '../../firmware-sim/generator-model.js';
import {
  ErrorCode,
  countPolarities,
  impedanceSplit,
  maxAmplitudeForDensity,
  type GeneratorState,
  type Reply,
  type Request,
} from '../../protocol/index.js';
import { CLINICAL_PULSE_WIDTH_US, CLINICAL_RATE_HZ } from '../../src/session/tonic-clamps.js';

/**
 * Watches the generator MODEL: every request it executes is checked as it happens (the model's
 * handle() is wrapped), so no violation can slip between two samples.
 *
 * - window: every SET the companion sends lies in the clinical window (rate, pulse width), the
 *   hardware range and the charge-density limit; output on only with such a program;
 * - patient: while patient mode is on, no SET goes above the clinician's window;
 * - armed: output never goes from off to on after a reset or reconnect until a new user action;
 * - once: no SET or OUTPUT (same session, same seq) is executed twice;
 * - order: no SET or OUTPUT runs after a newer request of its session (protocol v2, however late it arrived);
 * - refusals: the generator never has to refuse a companion SET for range, step or charge density;
 * - unrequested: output goes from off to on only by an OUTPUT on=1 of the session the newest HELLO
 *   opened (never a late line of an older session or companion);
 * - inherited: a new session never starts in search/tuning with output it did not turn on (checkNewSession).
 */

export type InvariantName =
  | 'window'
  | 'patient'
  | 'armed'
  | 'once'
  | 'order'
  | 'refusals'
  | 'view'
  | 'stop'
  | 'recovery'
  | 'audit'
  | 'unrequested'
  | 'inherited';

export interface WatchContext {
  /** A new user action that may turn output on has been taken since the last reset/reconnect. */
  armed: boolean;
  /** The clinician's upper amplitude limit while patient mode is on (µA), else null. */
  patientCeilingUa: () => number | null;
}

export class ModelWatch {
  readonly checks: Record<InvariantName, number> = {
    window: 0,
    patient: 0,
    armed: 0,
    once: 0,
    order: 0,
    refusals: 0,
    view: 0,
    stop: 0,
    recovery: 0,
    audit: 0,
    unrequested: 0,
    inherited: 0,
  };
  readonly violations: string[] = [];
  readonly naks: Record<number, number> = {};
  executed = 0;
  replayed = 0;
  private readonly seen = new Set<string>();
  private readonly newest = new Map<string, number>();
  /** The session the newest HELLO opened, and its companion. */
  private opened: { sess: string; cid: string } | undefined;
  /** Who turned the output on that is on now (the session and companion of that OUTPUT on=1). */
  private onBy: { sess: string; cid: string } | undefined;
  /** Called once, with the first violation (the soak snapshots its wire trace there). */
  onFirstViolation: ((message: string) => void) | undefined;

  constructor(
    private readonly model: GeneratorModel,
    private readonly context: WatchContext,
    private readonly now: () => number,
  ) {
    const original = model.handle.bind(model);
    model.handle = (request: Request, nowMs: number): Reply => {
      const before = model.state;
      // The execution log is capped (oldest dropped), so compare its newest entry, not its length.
      const lastBefore = model.executions[model.executions.length - 1];
      const reply = original(request, nowMs);
      const executed = model.executions[model.executions.length - 1] !== lastBefore;
      this.onRequest(request, before, model.state, reply, executed);
      return reply;
    };
  }

  violation(name: InvariantName, message: string): void {
    const text = `[${name}] at ${Math.round(this.now())} ms: ${message}`;
    if (this.violations.length === 0) this.onFirstViolation?.(text);
    if (this.violations.length < 50) this.violations.push(text);
  }

  /**
   * A companion (`cid`) has just connected and its session shows `state`: it may be in search or tuning
   * only with output on that this companion turned on itself (never inherited from another one).
   */
  checkNewSession(cid: string, state: string): void {
    const live = state === 'search' || state === 'tuning';
    this.check(
      'inherited',
      !live || (this.model.state.output === 'on' && this.onBy?.cid === cid),
      () =>
        `companion ${cid} starts in ${state} with output ${this.model.state.output} turned on by ${JSON.stringify(this.onBy ?? null)}`,
    );
  }

  check(name: InvariantName, ok: boolean, message: () => string): void {
    this.checks[name]++;
    if (!ok) this.violation(name, message());
  }

  private onRequest(
    request: Request,
    before: GeneratorState,
    after: GeneratorState,
    reply: Reply,
    executed: boolean,
  ): void {
    if (!executed) {
      this.replayed++;
      return;
    }
    this.executed++;
    if (request.type === 'HELLO' && reply.type === 'ACK' && reply.of === 'HELLO' && reply.session) {
      // Another companion's HELLO: uncommitted test output stops, committed therapy keeps running (§4.1).
      if (before.output === 'on' && request.cid !== this.onBy?.cid)
        this.check(
          'inherited',
          before.committed ? after.output === 'on' && after.committed : after.output === 'off',
          () =>
            `after a HELLO from companion ${request.cid} the generator is ${JSON.stringify(after)} (was ${JSON.stringify(before)})`,
        );
      this.opened = { sess: reply.session, cid: request.cid ?? '' };
    }
    if (after.output === 'off') this.onBy = undefined;
    const config = this.model.config;
    if (reply.type === 'NAK') this.naks[reply.code] = (this.naks[reply.code] ?? 0) + 1;

    // once + order (protocol v2): a command that changes something (SET, OUTPUT) runs at most once, and
    // never after a newer request of its session has run, however late its line arrived. STOP and
    // HELLO always run, by design; read-only requests may repeat (no effect).
    // OUTPUT on=0 is never refused (v2.1, §4.4): only what can turn something on is ordered.
    if (request.type === 'SET' || (request.type === 'OUTPUT' && request.on)) {
      const key = `${request.sess} ${request.seq}`;
      this.check('once', !this.seen.has(key), () => `executed twice: ${JSON.stringify(request)}`);
      this.seen.add(key);
      const newest = this.newest.get(request.sess) ?? 0;
      this.check(
        'order',
        request.seq > newest,
        () => `executed after seq ${newest} of session ${request.sess}: ${JSON.stringify(request)}`,
      );
      this.newest.set(request.sess, Math.max(newest, request.seq));
    }

    if (request.type === 'SET') {
      const inWindow =
        request.rateHz >= CLINICAL_RATE_HZ.min &&
        request.rateHz <= CLINICAL_RATE_HZ.max &&
        request.pulseWidthUs >= CLINICAL_PULSE_WIDTH_US.min &&
        request.pulseWidthUs <= CLINICAL_PULSE_WIDTH_US.max;
      const inHardware = request.amplitudeUa >= config.amplitudeUa.min && request.amplitudeUa <= config.amplitudeUa.max;
      // Each contact's share from the generator's own impedances (issue 19): the most loaded contact decides.
      const densityMax = maxAmplitudeForDensity(
        request.pulseWidthUs,
        request.contacts,
        config.contactAreaCm2,
        config.maxChargeDensity,
        impedanceSplit(request.contacts, this.model.impedances),
      );
      this.check(
        'window',
        inWindow && inHardware && (request.amplitudeUa === 0 || request.amplitudeUa <= densityMax),
        () => `companion sent ${JSON.stringify(request)} (density max ${densityMax} µA)`,
      );
      const refusedForRange =
        reply.type === 'NAK' &&
        [ErrorCode.OUT_OF_RANGE, ErrorCode.OFF_STEP, ErrorCode.CHARGE_DENSITY].includes(reply.code as 20);
      this.check(
        'refusals',
        !refusedForRange,
        () => `generator refused a companion SET: ${JSON.stringify(reply)} for ${JSON.stringify(request)}`,
      );
      const ceiling = this.context.patientCeilingUa();
      if (ceiling !== null)
        this.check(
          'patient',
          request.amplitudeUa <= ceiling,
          () => `patient mode: SET ${request.amplitudeUa} µA above the window's ${ceiling} µA`,
        );
    }

    if (after.output === 'on') {
      const { anodes, cathodes } = countPolarities(after.contacts);
      const ok =
        after.rateHz >= CLINICAL_RATE_HZ.min &&
        after.rateHz <= CLINICAL_RATE_HZ.max &&
        after.pulseWidthUs >= CLINICAL_PULSE_WIDTH_US.min &&
        after.pulseWidthUs <= CLINICAL_PULSE_WIDTH_US.max &&
        anodes > 0 &&
        cathodes > 0 &&
        after.amplitudeUa <=
          maxAmplitudeForDensity(
            after.pulseWidthUs,
            after.contacts,
            config.contactAreaCm2,
            config.maxChargeDensity,
            impedanceSplit(after.contacts, this.model.impedances),
          );
      this.check('window', ok, () => `output on with ${JSON.stringify(after)}`);
    }

    if (before.output === 'off' && after.output === 'on') {
      const sess = request.type === 'OUTPUT' && request.on ? request.sess : undefined;
      this.check(
        'unrequested',
        sess !== undefined && sess === this.opened?.sess,
        () =>
          `output turned on by ${JSON.stringify(request)}, not by the newest session ${JSON.stringify(this.opened ?? null)}`,
      );
      this.onBy = { sess: sess ?? '', cid: this.opened?.cid ?? '' };
      this.check(
        'armed',
        this.context.armed,
        () => `output turned on by ${JSON.stringify(request)} after a reset/reconnect with no new user action`,
      );
    }
  }
}
