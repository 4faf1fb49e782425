import { z } from 'zod';
import { MAX_SEQ } from './limits.js';

/** Typed protocol messages: what the codec turns lines into and back. Units are in the names. */

export const Range = z.object({ min: z.number().int(), max: z.number().int(), step: z.number().int().positive() });
export type Range = z.infer<typeof Range>;

/** Contact polarities, one character per contact: `+` anode, `-` cathode, `0` off. */
export const ContactsString = z.string().regex(/^[+\-0]{1,32}$/, 'contacts must be 1–32 of + - 0');

export const HardwareLimits = z.object({
  amplitudeUa: Range,
  pulseWidthUs: Range,
  rateHz: Range,
  contactCount: z.number().int().min(1).max(32),
  /** Geometric surface area of one contact, cm². */
  contactAreaCm2: z.number().positive().max(10),
  /** Largest charge density per phase the generator allows, µC/cm². */
  maxChargeDensity: z.number().positive().max(1000),
  watchdogMs: z.number().int().positive(),
});
export type HardwareLimits = z.infer<typeof HardwareLimits>;

export const Identity = z.object({
  proto: z.number().int().positive(),
  firmware: z.string().min(1).max(24),
  serial: z.string().min(1).max(24),
  bootId: z.string().regex(/^[0-9a-f]{8}$/),
});
export type Identity = z.infer<typeof Identity>;

export const OutputMode = z.enum(['test', 'therapy', 'none']);
export type OutputMode = z.infer<typeof OutputMode>;

export const GeneratorState = z.object({
  output: z.enum(['on', 'off']),
  mode: OutputMode,
  rateHz: z.number().int().nonnegative(),
  pulseWidthUs: z.number().int().nonnegative(),
  amplitudeUa: z.number().int().nonnegative(),
  contacts: ContactsString,
  batteryPct: z.number().int().min(0).max(100),
  faults: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)),
  /** A therapy program has been committed and keeps running without the link. */
  committed: z.boolean(),
  /**
   * The state revision (`rev`): counts every change of the program or of the output state (out, mode,
   * com), whoever made it. SET and OUTPUT name the revision they were computed from (PROTOCOL.md §3).
   */
  programRev: z.number().int().nonnegative(),
});
export type GeneratorState = z.infer<typeof GeneratorState>;

export const ImpedanceReading = z.union([z.number().int().nonnegative(), z.literal('open'), z.literal('short')]);
export type ImpedanceReading = z.infer<typeof ImpedanceReading>;

const seq = z.number().int().min(1).max(MAX_SEQ);
/** 8 lower-case hex digits: a companion instance id (`cid`) or a session id (`sess`). */
export const HexId = z.string().regex(/^[0-9a-f]{8}$/);
const rev = z.number().int().nonnegative();

export const Request = z.discriminatedUnion('type', [
  // cid is optional here only so a HELLO of another version still decodes and gets VERSION_MISMATCH.
  z.object({ type: z.literal('HELLO'), seq, proto: z.number().int().positive(), cid: HexId.optional() }),
  // sess is optional on STATE, IMP, HB and STOP: they never need a session; with the current one they
  // also count in its order (PROTOCOL.md §3.3).
  z.object({ type: z.literal('STATE'), seq, sess: HexId.optional() }),
  z.object({
    type: z.literal('SET'),
    seq,
    sess: HexId,
    rev,
    rateHz: z.number().int().nonnegative(),
    pulseWidthUs: z.number().int().nonnegative(),
    amplitudeUa: z.number().int().nonnegative(),
    contacts: ContactsString,
  }),
  z.object({ type: z.literal('OUTPUT'), seq, sess: HexId, rev, on: z.boolean(), mode: z.enum(['test', 'therapy']) }),
  z.object({ type: z.literal('STOP'), seq, sess: HexId.optional() }),
  z.object({ type: z.literal('IMP'), seq, sess: HexId.optional() }),
  z.object({ type: z.literal('HB'), seq, sess: HexId.optional() }),
]);
export type Request = z.infer<typeof Request>;
export type RequestType = Request['type'];

/** What a HELLO ended: `test` when it stopped uncommitted test output of another companion's session. */
export const HelloEnded = z.enum(['none', 'test']);
export type HelloEnded = z.infer<typeof HelloEnded>;

export const Reply = z.union([
  z.object({
    type: z.literal('ACK'),
    seq,
    of: z.literal('HELLO'),
    identity: Identity,
    limits: HardwareLimits,
    // Optional only so a v1 generator's ACK still decodes and is refused by version, not dropped.
    session: HexId.optional(),
    ended: HelloEnded.optional(),
  }),
  z.object({ type: z.literal('ACK'), seq, of: z.literal('IMP'), ohms: z.array(ImpedanceReading) }),
  /** STOP's short ACK: output and revision only, so it crosses the wire fast (PROTOCOL.md §4.5). */
  // seq=0: a STOP whose own seq could not be read still runs and is answered (§4.5).
  z.object({
    type: z.literal('ACK'),
    seq: z.number().int().min(0).max(MAX_SEQ),
    of: z.literal('STOP'),
    output: z.enum(['on', 'off']),
    rev,
  }),
  z.object({
    type: z.literal('ACK'),
    seq,
    of: z.enum(['STATE', 'SET', 'HB']),
    state: GeneratorState,
  }),
  // seq=0: an `OUTPUT on=0` whose own seq could not be read still turns output off and is answered (§4.4).
  z.object({
    type: z.literal('ACK'),
    seq: z.number().int().min(0).max(MAX_SEQ),
    of: z.literal('OUTPUT'),
    state: GeneratorState,
  }),
  z.object({
    type: z.literal('NAK'),
    seq: z.number().int().min(0).max(MAX_SEQ),
    code: z.number().int(),
    message: z.string(),
  }),
]);
export type Reply = z.infer<typeof Reply>;
export type Ack = Extract<Reply, { type: 'ACK' }>;
export type Nak = Extract<Reply, { type: 'NAK' }>;

export const EventKind = z.enum(['boot', 'stopped', 'fault', 'battery', 'program-changed']);
export const GeneratorEvent = z.object({
  type: z.literal('EVT'),
  kind: EventKind,
  /** Why: for `stopped` one of link-loss, stop-request, battery-empty, fault, reset. */
  reason: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  bootId: z
    .string()
    .regex(/^[0-9a-f]{8}$/)
    .optional(),
});
export type GeneratorEvent = z.infer<typeof GeneratorEvent>;

export const Telemetry = z.object({ type: z.literal('TEL'), state: GeneratorState });
export type Telemetry = z.infer<typeof Telemetry>;

export type Message = Request | Reply | GeneratorEvent | Telemetry;
/** What the generator sends. */
export type Inbound = Reply | GeneratorEvent | Telemetry;
