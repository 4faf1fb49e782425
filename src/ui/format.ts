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
