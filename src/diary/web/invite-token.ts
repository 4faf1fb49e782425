import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Enrolment and session secrets: 32 random bytes (256 bits, far above the 128 required) in base64url.
 * Only their SHA-256 is stored, so a copy of the database opens no diary.
 */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Whether `text` has the shape of a token (checked before any lookup; says nothing about validity). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Two days after the trial end: the patient can still enter the last day late (H16 flags it). */
export const DEFAULT_GRACE_MS = 2 * 24 * 3600_000;

/** The enrolment link for a base address such as `https://192.168.1.5:8443`. */
export function enrolLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/enrol/${token}`;
}
