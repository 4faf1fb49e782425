import {
  PROTOCOL_VERSION,
  type GeneratorEvent,
  type GeneratorState,
  type HardwareLimits,
  type Identity,
  type ImpedanceReading,
} from '../protocol/index.js';
import { hardwareLimitsOf, resolveGeneratorConfig, type GeneratorConfig } from './generator-config.js';
import { densityRejection, rejectProgram, type Program } from './program-rules.js';

/**
 * What the simulated generator IS, apart from the protocol: the program it runs, its output, the state
 * revision, the battery, the watchdog, its contacts' impedances and the events these raise. Pure (no
 * timers): every method takes the time. GeneratorModel (generator-model.ts) adds the requests on top.
 */
export class StimulatorCore {
  readonly config: GeneratorConfig;
  protected program: Program;
  protected output: 'on' | 'off' = 'off';
  protected mode: 'test' | 'therapy' | 'none' = 'none';
  protected committed = false;
  /** The state revision: +1 on every change of the program or of the output state, by anyone (§4.2). */
  protected rev = 0;
  protected battery: number;
  protected bootIdValue: string;
  protected lastValidLineMs = 0;
  protected lastAdvanceMs: number | undefined;
  /** What each contact measures now (ohms, open, short); IMP reports it and SET's density check uses it. */
  protected contactImpedances: ImpedanceReading[];
  protected pending: GeneratorEvent[] = [];

  constructor(config: Partial<GeneratorConfig> = {}) {
    this.config = resolveGeneratorConfig(config);
    this.program = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 0, contacts: '0'.repeat(this.config.contactCount) };
    // Keep the power-on program inside this generator's own limits.
    this.program.rateHz = Math.min(Math.max(50, this.config.rateHz.min), this.config.rateHz.max);
    this.program.pulseWidthUs = Math.min(Math.max(200, this.config.pulseWidthUs.min), this.config.pulseWidthUs.max);
    this.program.amplitudeUa = this.config.amplitudeUa.min;
    this.battery = this.config.batteryPct;
    this.rev = this.config.firstRev ?? 0;
    this.bootIdValue = this.config.newBootId();
    this.contactImpedances = [...this.config.impedances];
  }

  get bootId(): string {
    return this.bootIdValue;
  }

  /** The impedance of every contact as the generator would measure it now, contact 1 first. */
  get impedances(): ImpedanceReading[] {
    return [...this.contactImpedances];
  }

  /**
   * One contact's impedance changes (fluid around it, a lead that moved, a broken wire): from now on
   * IMP reports it and the charge-density checks of SET and OUTPUT share current by it; output that is on
   * and now over the limit stops (EVT stopped reason=charge-density). `contact` is 1-based.
   */
  setImpedance(contact: number, reading: ImpedanceReading): void {
    if (!Number.isInteger(contact) || contact < 1 || contact > this.config.contactCount) {
      throw new Error(`contact ${contact} does not exist: this generator has contacts 1-${this.config.contactCount}`);
    }
    this.contactImpedances[contact - 1] = reading;
    // A running program the new measurement puts over the density limit stops at once (§4.3.1): the
    // generator never keeps delivering what it would refuse to start.
    if (this.output === 'on' && densityRejection(this.config, this.program, this.contactImpedances)) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'charge-density' });
    }
  }

  get identity(): Identity {
    return {
      proto: PROTOCOL_VERSION,
      firmware: this.config.firmware,
      serial: this.config.serial,
      bootId: this.bootIdValue,
    };
  }

  get limits(): HardwareLimits {
    return hardwareLimitsOf(this.config);
  }

  get state(): GeneratorState {
    return {
      output: this.output,
      mode: this.mode,
      ...this.program,
      batteryPct: Math.max(0, Math.min(100, Math.ceil(this.battery))),
      faults: this.faults(),
      committed: this.committed,
      programRev: this.rev,
    };
  }

  /** A valid line arrived: feeds the watchdog. handle() calls it for every request. */
  noteLinkActivity(nowMs: number): void {
    this.advance(nowMs);
    this.lastValidLineMs = nowMs;
  }

  /** Advances time: battery drain, watchdog. Returns every event raised since the last call. */
  tick(nowMs: number): GeneratorEvent[] {
    this.advance(nowMs);
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /**
   * Another controller (the patient's remote) changes the program. It obeys the same rules as SET and
   * throws if they refuse it. The event is returned and also delivered by the next tick(); a "change" to
   * the program it already runs is no change (undefined, rev kept).
   */
  externalChange(program: Program, nowMs = this.lastAdvanceMs ?? 0): GeneratorEvent | undefined {
    this.advance(nowMs);
    const refused = rejectProgram(this.config, program, this.program, this.output === 'on', this.contactImpedances);
    if (refused) throw new Error(`external change refused: ${refused.message}`);
    // The same values again change nothing: rev stays and no event is raised (§3.4, §4.9).
    if (sameProgram(program, this.program)) return undefined;
    this.program = { ...program };
    this.rev = nextRev(this.rev);
    const event: GeneratorEvent = { type: 'EVT', kind: 'program-changed', reason: 'external' };
    this.pending.push(event);
    return event;
  }

  private faults(): string[] {
    const faults: string[] = [];
    if (this.battery <= 0) faults.push('battery-empty');
    else if (this.battery < this.config.batteryLowPct) faults.push('battery-low');
    return faults;
  }

  protected outputOff(): void {
    this.setOutput('off', 'none', false);
  }

  /** Every change of the output state is a new revision. */
  protected setOutput(output: 'on' | 'off', mode: 'test' | 'therapy' | 'none', committed: boolean): void {
    if (output === this.output && mode === this.mode && committed === this.committed) return;
    this.output = output;
    this.mode = mode;
    this.committed = committed;
    this.rev = nextRev(this.rev);
  }

  /** Accrues battery drain and checks the watchdog up to nowMs. Time never runs backwards here. */
  protected advance(nowMs: number): void {
    const last = this.lastAdvanceMs ?? nowMs;
    const now = Math.max(nowMs, last);
    this.lastAdvanceMs = now;
    if (this.output !== 'on') return;
    // Watchdog first: output that should have stopped at the deadline does not drain past it.
    const deadline = this.lastValidLineMs + this.config.watchdogMs;
    const stopAt = !this.committed && now > deadline ? Math.max(deadline, last) : now;
    this.drain(last, stopAt);
    if (this.output !== 'on') return;
    if (stopAt < now) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'link-loss' });
    }
  }

  private drain(fromMs: number, toMs: number): void {
    if (toMs <= fromMs) return;
    const before = this.battery;
    this.battery = Math.max(0, before - ((toMs - fromMs) / 1000) * this.config.batteryDrainPctPerS);
    if (before >= this.config.batteryLowPct && this.battery < this.config.batteryLowPct && this.battery > 0) {
      this.pending.push({ type: 'EVT', kind: 'battery', reason: 'low' });
    }
    if (this.battery <= 0) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'battery', reason: 'empty' });
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'battery-empty' });
    }
  }
}

export function sameProgram(a: Program, b: Program): boolean {
  return (
    a.rateHz === b.rateHz &&
    a.pulseWidthUs === b.pulseWidthUs &&
    a.amplitudeUa === b.amplitudeUa &&
    a.contacts === b.contacts
  );
}

/** `rev` is a 9-digit wire number: after 999999999 it wraps to 0 (§3.4). */
export function nextRev(rev: number): number {
  return rev >= MAX_REV ? 0 : rev + 1;
}
const MAX_REV = 999_999_999;
