import type { GeneratorEvent, GeneratorState, HardwareLimits } from '../../protocol/index.js';
import type { Handshake, LinkStatus } from './generator-link.js';

const mA = (ua: number): string => `${(ua / 1000).toFixed(2)} mA`;

/** Plain-text lines about a link, for `scs --plain` and logs. Pure: no I/O. */
export function describeState(s: GeneratorState): string {
  const output = s.output === 'on' ? `ON (${s.mode}${s.committed ? ', committed' : ''})` : 'off';
  return (
    `output ${output}  ${s.rateHz} Hz  ${s.pulseWidthUs} µs  ${mA(s.amplitudeUa)}  contacts ${s.contacts}  ` +
    `battery ${s.batteryPct}%  faults ${s.faults.length ? s.faults.join(',') : 'none'}  rev ${s.programRev}`
  );
}

export function describeLimits(l: HardwareLimits): string {
  return (
    `amplitude ${mA(l.amplitudeUa.min)}–${mA(l.amplitudeUa.max)} step ${l.amplitudeUa.step} µA, ` +
    `pulse width ${l.pulseWidthUs.min}–${l.pulseWidthUs.max} µs step ${l.pulseWidthUs.step}, ` +
    `rate ${l.rateHz.min}–${l.rateHz.max} Hz step ${l.rateHz.step}, ` +
    `${l.contactCount} contacts of ${l.contactAreaCm2} cm², max ${l.maxChargeDensity} µC/cm², watchdog ${l.watchdogMs} ms`
  );
}

export function describeHandshake(h: Handshake, resetDetected: boolean, where: string): string[] {
  const id = h.identity;
  const lines = [
    `connected to generator ${id.serial} on ${where} (firmware ${id.firmware}, protocol v${id.proto}, boot ${id.bootId})`,
  ];
  if (resetDetected)
    lines.push(
      'the generator was reset since the last connection (new boot id): its output is off; nothing was re-sent',
    );
  lines.push(`limits: ${describeLimits(h.limits)}`);
  lines.push(`state: ${describeState(h.state)}`);
  return lines;
}

export function describeStatus(status: LinkStatus, reason: string | undefined, where: string): string {
  const why = reason ? ` (${reason})` : '';
  switch (status) {
    case 'connecting':
      return `connecting to ${where}...`;
    case 'connected':
      return `link up: ${where}`;
    case 'reconnecting':
      return `link lost, reconnecting to ${where}${why}`;
    case 'disconnected':
      return `disconnected from ${where}${why}`;
  }
}

export function describeEvent(e: GeneratorEvent): string {
  const why = e.reason ? ` (${e.reason})` : '';
  switch (e.kind) {
    case 'stopped':
      return `generator stopped output${why}`;
    case 'boot':
      return `generator booted${e.bootId ? ` (boot ${e.bootId})` : ''}`;
    case 'program-changed':
      return `program changed outside the companion${why}`;
    default:
      return `generator ${e.kind}${why}`;
  }
}
