import { HEARTBEAT_INTERVAL_MS, REQUEST_RETRIES, REQUEST_TIMEOUT_MS } from '../../protocol/index.js';

/** Timing of one link. Defaults are the protocol's (PROTOCOL.md, "Timing"); tests shorten them. */
export interface LinkTiming {
  /** Wait for a reply before retransmitting the same line (same sequence number). */
  requestTimeoutMs: number;
  /** Retransmissions after the first send before an ordinary request fails and the link counts as lost. */
  requestRetries: number;
  /** Heartbeat period while connected and idle. */
  heartbeatIntervalMs: number;
  /** First wait before reconnecting after a loss; doubles per failed attempt up to the maximum. */
  reconnectDelayMs: number;
  reconnectMaxDelayMs: number;
}

export const DEFAULT_LINK_TIMING: LinkTiming = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  requestRetries: REQUEST_RETRIES,
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  reconnectDelayMs: 200,
  reconnectMaxDelayMs: 3000,
};

export function resolveTiming(overrides: Partial<LinkTiming> = {}): LinkTiming {
  const timing = { ...DEFAULT_LINK_TIMING, ...overrides };
  for (const [key, value] of Object.entries(timing)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`link timing ${key} must be a whole number ≥ 0, got ${value}`);
  }
  return timing;
}

/** Reconnect wait before attempt `attempt` (0-based): exponential, capped. */
export function reconnectDelay(timing: LinkTiming, attempt: number): number {
  return Math.min(timing.reconnectMaxDelayMs, timing.reconnectDelayMs * 2 ** Math.min(attempt, 16));
}
