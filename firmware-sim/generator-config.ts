import type { HardwareLimits, ImpedanceReading, Range } from '../protocol/index.js';
import { WATCHDOG_TIMEOUT_MS } from '../protocol/index.js';

/** Everything that makes one simulated generator: its hard limits, identity, contacts and battery. */
export interface GeneratorConfig {
  amplitudeUa: Range;
  pulseWidthUs: Range;
  rateHz: Range;
  contactCount: number;
  /** Geometric surface area of one contact, cm². */
  contactAreaCm2: number;
  /** Largest charge density per phase the generator allows, µC/cm². */
  maxChargeDensity: number;
  /** Link silence after which uncommitted test stimulation stops, ms. */
  watchdogMs: number;
  serial: string;
  firmware: string;
  /** One reading per contact (ohms, 'open' or 'short'); missing entries get a default ~800–1200 Ω. */
  impedances: ImpedanceReading[];
  /** Battery charge at power-on, percent. */
  batteryPct: number;
  /** Battery drain while output is on, percent per second. */
  batteryDrainPctPerS: number;
  /** Below this the generator reports the fault `battery-low`. */
  batteryLowPct: number;
  /** Makes a new boot id (8 lower-case hex digits) on each reset; random unless given. */
  newBootId: () => string;
  /** Makes a new session id (8 lower-case hex digits) on each HELLO; random unless given. */
  newSessionId: () => string;
  /** The revision at power-on (default 0); tests start near 999999999 to cross the wrap (§3.4). */
  firstRev?: number;
}

/** Default impedance of contact i: spread over 800–1200 Ω so each contact reads differently. */
export function defaultImpedance(index: number): number {
  return 800 + ((index * 137) % 401);
}

/** 8 random lower-case hex digits (boot ids, session ids). */
export function randomBootId(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}

export function defaultGeneratorConfig(): GeneratorConfig {
  return {
    amplitudeUa: { min: 0, max: 25_500, step: 50 },
    pulseWidthUs: { min: 20, max: 1000, step: 10 },
    rateHz: { min: 2, max: 1200, step: 1 },
    contactCount: 8,
    contactAreaCm2: 0.1225,
    maxChargeDensity: 30,
    watchdogMs: WATCHDOG_TIMEOUT_MS,
    serial: 'SIM-000001',
    firmware: '1.0.0',
    impedances: [],
    batteryPct: 100,
    batteryDrainPctPerS: 0.002,
    batteryLowPct: 20,
    newBootId: randomBootId,
    newSessionId: randomBootId,
  };
}

export function resolveGeneratorConfig(partial: Partial<GeneratorConfig> = {}): GeneratorConfig {
  const config = { ...defaultGeneratorConfig(), ...partial };
  const impedances = Array.from({ length: config.contactCount }, (_, i) => config.impedances[i] ?? defaultImpedance(i));
  return { ...config, impedances };
}

/** The hardware limits a generator with this configuration reports in its HELLO reply. */
export function hardwareLimitsOf(c: GeneratorConfig): HardwareLimits {
  return {
    amplitudeUa: c.amplitudeUa,
    pulseWidthUs: c.pulseWidthUs,
    rateHz: c.rateHz,
    contactCount: c.contactCount,
    contactAreaCm2: c.contactAreaCm2,
    maxChargeDensity: c.maxChargeDensity,
    watchdogMs: c.watchdogMs,
  };
}
