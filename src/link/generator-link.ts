import type {
  GeneratorEvent,
  GeneratorState,
  HardwareLimits,
  Identity,
  ImpedanceReading,
} from '../../protocol/index.js';
import { errorCodeName } from '../../protocol/index.js';
import type { LinkStats } from './link-stats.js';

export type { LinkStats } from './link-stats.js';

export interface Handshake {
  identity: Identity;
  limits: HardwareLimits;
  /** The generator's state read right after HELLO. */
  state: GeneratorState;
  /**
   * The generator stopped uncommitted test stimulation it was delivering for an earlier companion
   * (another companion instance) when this one connected (HELLO ACK `ended=test`).
   */
  endedTest?: boolean;
}

export interface Program {
  rateHz: number;
  pulseWidthUs: number;
  amplitudeUa: number;
  /** One of + - 0 per contact. */
  contacts: string;
}

export type LinkStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

export type LinkEvent =
  | { type: 'status'; status: LinkStatus; reason?: string }
  /** After every (re)connection. `resetDetected` when the boot id differs from the previous connection's. */
  | { type: 'handshake'; handshake: Handshake; resetDetected: boolean }
  | { type: 'telemetry'; state: GeneratorState }
  | { type: 'generator-event'; event: GeneratorEvent }
  | { type: 'error'; error: Error };

/**
 * The companion's view of one generator connection. The session machine talks only to this interface;
 * the serial implementation (real port or built-in simulator) lives beside it.
 */
export interface GeneratorLink {
  /** `simulator` for the built-in one, `serial` for a port. */
  readonly source: 'simulator' | 'serial';
  /** Shown to the user: "simulator" or the port path. */
  readonly description: string;
  /** The link's status now (the same value the last 'status' event carried). */
  readonly status: LinkStatus;
  /** Opens the port, HELLO (version check), then STATE. Rejects with a LinkError a person can act on. */
  connect(): Promise<Handshake>;
  close(): Promise<void>;
  readState(): Promise<GeneratorState>;
  /** Absolute values only. Resolves with the generator's read-back, which equals the request or rejects. */
  setProgram(program: Program): Promise<GeneratorState>;
  setOutput(on: boolean, mode: 'test' | 'therapy'): Promise<GeneratorState>;
  /** Emergency stop: jumps every queue; unanswered after every retry, the link is lost and the STOP held for the next connection. */
  stop(): Promise<GeneratorState>;
  measureImpedance(): Promise<ImpedanceReading[]>;
  subscribe(listener: (event: LinkEvent) => void): () => void;
  /** Counters across all connections: lines in/out, overruns, bad CRC, retries, timeouts, ... */
  stats(): LinkStats;
}

export class LinkError extends Error {
  override name = 'LinkError';
}

/** The generator refused a request (NAK). */
export class NakError extends LinkError {
  override name = 'NakError';
  readonly codeName: string;
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`generator refused: ${detail} (code ${code} ${errorCodeName(code)})`);
    this.codeName = errorCodeName(code);
  }
}

/** No valid reply after every retry. */
export class LinkTimeoutError extends LinkError {
  override name = 'LinkTimeoutError';
}

/** The port closed or the link is not connected. */
export class DisconnectedError extends LinkError {
  override name = 'DisconnectedError';
}

/** The generator ACKed values other than those requested. */
export class ReadbackMismatchError extends LinkError {
  override name = 'ReadbackMismatchError';
  constructor(
    readonly requested: Program,
    readonly applied: GeneratorState,
  ) {
    super(
      `generator applied ${applied.rateHz} Hz ${applied.pulseWidthUs} µs ${applied.amplitudeUa} µA ${applied.contacts}, ` +
        `not the requested ${requested.rateHz} Hz ${requested.pulseWidthUs} µs ${requested.amplitudeUa} µA ${requested.contacts}`,
    );
  }
}

/** HELLO answered with another protocol version. */
export class VersionMismatchError extends LinkError {
  override name = 'VersionMismatchError';
}

/** A request that was queued but not yet sent when STOP was pressed: never sent afterwards. */
export class StaleCommandError extends LinkError {
  override name = 'StaleCommandError';
}

/** The generator ACKed an output state other than the requested one (also: STOP not confirmed as off). */
export class OutputMismatchError extends LinkError {
  override name = 'OutputMismatchError';
  constructor(
    readonly requested: { on: boolean; mode?: 'test' | 'therapy' },
    readonly applied: GeneratorState,
  ) {
    super(
      `generator reports output ${applied.output} (mode ${applied.mode}), ` +
        `not the requested ${requested.on ? `on (mode ${requested.mode})` : 'off'}`,
    );
  }
}
