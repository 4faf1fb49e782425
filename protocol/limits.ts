/** Framing constants shared by both ends (PROTOCOL.md, "Framing"). */
export const PROTOCOL_VERSION = 2;
/** Longest line either end accepts, in bytes, not counting the `\n` (or `\r\n`) terminator. */
export const MAX_LINE_BYTES = 256;
/** Companion: how long to wait for a reply before retransmitting with the same sequence number. */
export const REQUEST_TIMEOUT_MS = 250;
/** Companion: retransmissions after the first send before the request fails. */
export const REQUEST_RETRIES = 3;
/** Companion: heartbeat period while connected. */
export const HEARTBEAT_INTERVAL_MS = 500;
/** Generator: link silence after which uncommitted test stimulation stops. */
export const WATCHDOG_TIMEOUT_MS = 2000;
/**
 * Generator: how many recent replies it keeps, to answer retransmissions. Correctness does not depend
 * on it (PROTOCOL.md §3): a request older than the session's newest is refused, cached or not.
 */
export const REPLY_CACHE_SIZE = 32;
/** Sequence numbers run 1..MAX_SEQ (9 digits) and never wrap inside a session; 0 means "unknown" in a NAK. */
export const MAX_SEQ = 999_999_999;
/** Companion: open a new session (HELLO, same cid) once a session's seq has come this close to MAX_SEQ. */
export const SEQ_RENEW_MARGIN = 1000;
/** Generator: the watchdog stops test output no later than this after `wd_ms` of silence. */
export const WATCHDOG_TOLERANCE_MS = 100;
/**
 * Generator: a HELLO of the open session's companion whose seq is more than this far ahead of the
 * session's newest (`hi`) is a late copy from before a renewal (the seq space restarted at 1), not a
 * newer HELLO: refused STALE_SEQ (PROTOCOL.md §4.1 rule 3, v2.2). Half the space: the companion never
 * gets that far ahead of what the generator has seen.
 */
export const HELLO_SEQ_HORIZON = 499_999_999;
