/** Counters of one link, across all its connections. Read with `link.stats()`. */
export interface LinkStats {
  linesIn: number;
  linesOut: number;
  /** Inbound lines longer than the protocol maximum, discarded. */
  overruns: number;
  /** Inbound lines whose CRC did not match, discarded. */
  badCrc: number;
  /** Inbound lines with a valid CRC that still did not decode (bad field, unknown verb). */
  decodeErrors: number;
  /** Retransmissions of a request line (same sequence number). */
  retries: number;
  /** Requests that got no valid reply after every retry. */
  timeouts: number;
  /** Replies whose sequence number matched nothing outstanding (duplicates, late replies). */
  unmatchedReplies: number;
  naks: number;
  /** Connections established, the first one included. */
  connections: number;
  /** Connections lost (unplug, silence, generator reset). */
  linkLosses: number;
}

export function emptyLinkStats(): LinkStats {
  return {
    linesIn: 0,
    linesOut: 0,
    overruns: 0,
    badCrc: 0,
    decodeErrors: 0,
    retries: 0,
    timeouts: 0,
    unmatchedReplies: 0,
    naks: 0,
    connections: 0,
    linkLosses: 0,
  };
}
