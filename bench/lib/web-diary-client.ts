/**
 * A minimal phone for load and crash runs against `scs diary serve` on 127.0.0.1: follows an
 * enrolment link for its cookie, then posts entries with phone-made UUIDs (node's fetch, keep-alive).
 */
import { randomUUID } from 'node:crypto';
import { formatInstant } from '../../src/diary/instant.js';

/** Follows the link without redirecting and returns the session cookie (`name=value`). */
export async function enrolPhone(link: string): Promise<string> {
  const r = await fetch(link, { redirect: 'manual' });
  const cookie = r.headers.get('set-cookie');
  if (r.status !== 303 || !cookie) throw new Error(`enrolment answered ${r.status}`);
  return cookie.split(';')[0]!;
}

export interface PhoneEntry {
  id: string;
  at: string;
  madeAt: string;
  nrs: number;
}

/** An entry describing `msAgo` before now (distinct per call through `msAgo`). */
export function phoneEntry(nrs: number, msAgo: number, nowMs = Date.now()): PhoneEntry {
  return { id: randomUUID(), at: formatInstant(nowMs - msAgo, 60), madeAt: formatInstant(nowMs, 60), nrs };
}

/** Posts one entry; resolves with the status (0 when the connection failed) and the latency in ms. */
export async function postEntry(baseUrl: string, cookie: string, entry: PhoneEntry): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${baseUrl}/api/entries`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(entry) });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}
