/** Framing constants shared by both ends (PROTOCOL.md, "Framing"). */
export const PROTOCOL_VERSION = 1;
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
/** Generator: how many recent replies it keeps for replay of retransmitted requests. */
export const REPLY_CACHE_SIZE = 32;
/** Sequence numbers run 1..MAX_SEQ and then wrap to 1; 0 means "unknown" in a NAK. */
export const MAX_SEQ = 65535;
