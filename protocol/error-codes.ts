/** NAK codes (PROTOCOL.md, "Error codes"). Numeric values are part of the wire contract. */
export const ErrorCode = {
  BAD_CRC: 10,
  LINE_TOO_LONG: 11,
  MALFORMED: 12,
  UNKNOWN_VERB: 13,
  BAD_FIELD: 14,
  VERSION_MISMATCH: 15,
  NOT_READY: 16,
  STALE_SEQ: 17,
  STALE_SESSION: 18,
  REV_MISMATCH: 19,
  OUT_OF_RANGE: 20,
  OFF_STEP: 21,
  NO_ANODE: 22,
  NO_CATHODE: 23,
  CHARGE_DENSITY: 24,
  LIVE_CHANGE: 25,
  CONTACT_COUNT: 26,
  NO_PROGRAM: 27,
  MODE_CHANGE: 28,
  BATTERY_EMPTY: 30,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

const NAMES = new Map<number, ErrorCodeName>(Object.entries(ErrorCode).map(([k, v]) => [v, k as ErrorCodeName]));

export function errorCodeName(code: number): ErrorCodeName | 'UNKNOWN' {
  return NAMES.get(code) ?? 'UNKNOWN';
}
