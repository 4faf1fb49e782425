import { z } from 'zod';

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
  /** Counts program changes; a jump the companion did not cause means another controller changed it. */
  programRev: z.number().int().nonnegative(),
});
export type GeneratorState = z.infer<typeof GeneratorState>;

export const ImpedanceReading = z.union([z.number().int().nonnegative(), z.literal('open'), z.literal('short')]);
export type ImpedanceReading = z.infer<typeof ImpedanceReading>;

const seq = z.number().int().min(1).max(65535);

export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('HELLO'), seq, proto: z.number().int().positive() }),
  z.object({ type: z.literal('STATE'), seq }),
  z.object({
    type: z.literal('SET'),
    seq,
    rateHz: z.number().int().nonnegative(),
    pulseWidthUs: z.number().int().nonnegative(),
    amplitudeUa: z.number().int().nonnegative(),
    contacts: ContactsString,
  }),
  z.object({ type: z.literal('OUTPUT'), seq, on: z.boolean(), mode: z.enum(['test', 'therapy']) }),
  z.object({ type: z.literal('STOP'), seq }),
  z.object({ type: z.literal('IMP'), seq }),
  z.object({ type: z.literal('HB'), seq }),
]);
export type Request = z.infer<typeof Request>;
export type RequestType = Request['type'];

export const Reply = z.union([
  z.object({ type: z.literal('ACK'), seq, of: z.literal('HELLO'), identity: Identity, limits: HardwareLimits }),
  z.object({ type: z.literal('ACK'), seq, of: z.literal('IMP'), ohms: z.array(ImpedanceReading) }),
  z.object({
    type: z.literal('ACK'),
    seq,
    of: z.enum(['STATE', 'SET', 'OUTPUT', 'STOP', 'HB']),
    state: GeneratorState,
  }),
  z.object({ type: z.literal('NAK'), seq: z.number().int().min(0).max(65535), code: z.number().int(), message: z.string() }),
]);
export type Reply = z.infer<typeof Reply>;
export type Ack = Extract<Reply, { type: 'ACK' }>;
export type Nak = Extract<Reply, { type: 'NAK' }>;

export const EventKind = z.enum(['boot', 'stopped', 'fault', 'battery', 'program-changed']);
export const GeneratorEvent = z.object({
  type: z.literal('EVT'),
  kind: EventKind,
  /** Why: for `stopped` one of link-loss, stop-request, battery-empty, fault, reset. */
  reason: z.string().regex(/^[a-z0-9-]+$/).optional(),
  bootId: z.string().regex(/^[0-9a-f]{8}$/).optional(),
});
export type GeneratorEvent = z.infer<typeof GeneratorEvent>;

export const Telemetry = z.object({ type: z.literal('TEL'), state: GeneratorState });
export type Telemetry = z.infer<typeof Telemetry>;

export type Message = Request | Reply | GeneratorEvent | Telemetry;
/** What the generator sends. */
export type Inbound = Reply | GeneratorEvent | Telemetry;
