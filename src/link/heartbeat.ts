/**
 * The idle heartbeat (PROTOCOL.md §4.7): every interval, one beat when nothing else is outstanding, so
 * the generator's watchdog sees the companion alive without an extra line beside real traffic.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    /** Whether the link is connected with nothing waiting or outstanding. */
    private readonly idle: () => boolean,
    /** Sends one beat; its failure is the request queue's to handle. */
    private readonly beat: () => void,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => {
      if (this.idle()) this.beat();
    }, this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
