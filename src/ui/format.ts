/**
 * Display formatting only: units the generator speaks (µA) shown in the units clinicians read (mA).
 * No decisions are made here.
 */

export function formatMa(ua: number | null | undefined): string {
  if (ua === null || ua === undefined) return '—';
  return `${(ua / 1000).toFixed(2)} mA`;
}

export function formatOhms(reading: number | 'open' | 'short'): string {
  if (reading === 'open' || reading === 'short') return reading;
  return reading >= 1000 ? `${(reading / 1000).toFixed(1)}k` : `${reading}`;
}

export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** `12:04:31` from an ISO instant, in the instant's own clock time. */
export function formatClock(iso: string | undefined): string {
  if (!iso) return '';
  const match = /T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match?.[1] ?? iso;
}

/** Contacts per lead: sixteen contacts read as two leads of eight. */
export const CONTACTS_PER_LEAD = 8;

const POLARITY_SYMBOL: Record<string, string> = { '+': '+', '-': '-', '0': '.' };

/**
 * The one contact notation on every screen (issue 13): `[ 1-]` is contact 1 as cathode, `[ 2+]` an
 * anode, `[ 3.]` off, numbered from 1 as on the lead, so no one counts positions in `-+000000`.
 */
export function contactCell(index: number, polarity: string | undefined): string {
  return `[${String(index + 1).padStart(2)}${POLARITY_SYMBOL[polarity ?? '0'] ?? '?'}]`;
}

/** A configuration (+ - 0 per contact) as one line of cells per lead. */
export function contactRows(contacts: string): string[] {
  const rows: string[] = [];
  for (let start = 0; start < contacts.length; start += CONTACTS_PER_LEAD) {
    const cells = [...contacts.slice(start, start + CONTACTS_PER_LEAD)].map((p, k) => contactCell(start + k, p));
    rows.push(cells.join(' '));
  }
  return rows;
}

/** A configuration on one line (leads separated by ` | `), for sentences such as a difference line. */
export function formatContacts(contacts: string): string {
  return contactRows(contacts).join(' | ') || '—';
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01 09:30` in the local time of this process (its TZ), the clock the clinician lives by. */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** `UTC+01:00`: the local offset at that instant (it changes with daylight saving time). */
export function utcOffsetLabel(ms: number): string {
  const east = -new Date(ms).getTimezoneOffset();
  const sign = east < 0 ? '-' : '+';
  return `UTC${sign}${two(Math.floor(Math.abs(east) / 60))}:${two(Math.abs(east) % 60)}`;
}

/** How long ago: `12 s ago`, `4 min ago`, `2 h ago`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}
