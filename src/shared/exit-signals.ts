/**
 * The signals that end a stimulating process (Ctrl+C, kill, a closed terminal) and the exit code a
 * shell reports for each (128 + signal number): every way out that stimulates sends STOP first.
 */
export const EXIT_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export type ExitSignal = keyof typeof EXIT_SIGNALS;
