/**
 * ISO 8601 instants WITH a UTC offset, parsed by hand: the original text (and its offset) is kept for
 * display, the epoch milliseconds decide order and elapsed time. `Date.parse` is not used because it
 * silently reads an offset-less time as local time, which shifts a diary by the host's zone.
 */

export interface Instant {
  /** The text as given, e.g. `2024-03-31T08:00:00+02:00`. */
  text: string;
  /** Milliseconds since the Unix epoch (UTC): compare and subtract these. */
  ms: number;
  /** The offset east of UTC in minutes, e.g. 120 for +02:00. */
  offsetMinutes: number;
  /** The local calendar date at that offset, `YYYY-MM-DD`. */
  localDate: string;
}

export class InstantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstantError';
  }
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

const EXAMPLE = 'e.g. 2024-03-31T08:00+02:00 or 2024-03-31T06:00Z';

/** Parses `text` or throws an InstantError saying what is wrong and how to write it. */
export function parseInstant(text: string): Instant {
  const trimmed = text.trim();
  const m = PATTERN.exec(trimmed);
  if (!m) {
    throw new InstantError(`'${text}' is not an ISO 8601 date and time (${EXAMPLE})`);
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (zone === undefined) {
    throw new InstantError(
      `'${text}' has no UTC offset; add one so the time is unambiguous across time zones and daylight-saving changes (${EXAMPLE})`,
    );
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12) throw new InstantError(`'${text}': month ${mo} is not 01–12`);
  if (day < 1 || day > daysInMonth(year, month))
    throw new InstantError(`'${text}': day ${d} does not exist in ${y}-${mo}`);
  if (hour > 23) throw new InstantError(`'${text}': hour ${h} is not 00–23`);
  if (minute > 59) throw new InstantError(`'${text}': minute ${mi} is not 00–59`);
  if (second > 59) throw new InstantError(`'${text}': second ${s} is not 00–59`);
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 14 || om > 59 || (oh === 14 && om > 0))
      throw new InstantError(`'${text}': offset ${zone} is outside −14:00…+14:00`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  // Milliseconds: truncate extra digits (diaries never need sub-millisecond order).
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0–99 to 1900+; diaries never use them, refuse rather than misread.
  if (year < 1900) throw new InstantError(`'${text}': year ${y} is before 1900`);
  return { text: trimmed, ms: utc - offsetMinutes * 60_000, offsetMinutes, localDate: `${y}-${mo}-${d}` };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Formats epoch ms as an ISO 8601 instant at the given offset (minutes east of UTC), to the second. */
export function formatInstant(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const frac = local.getUTCMilliseconds() === 0 ? '' : `.${pad(local.getUTCMilliseconds(), 3)}`;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The current moment as an Instant at the host's current UTC offset. */
export function instantFromDate(date: Date): Instant {
  const offset = -date.getTimezoneOffset();
  return parseInstant(formatInstant(date.getTime(), offset));
}

/** The calendar date following `date` (`YYYY-MM-DD`). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
