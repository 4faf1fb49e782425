/**
 * The last lines each way on the generator's wire (what it got after inbound faults, what it sent after
 * outbound faults), kept in two rings so the first violation can be printed with its context.
 */
export class WireTrace {
  private readonly rings = { in: [] as string[], out: [] as string[] };
  private readonly started = performance.now();

  constructor(private readonly keep = 50) {}

  /** For GeneratorServerOptions.onWire. */
  readonly record = (direction: 'in' | 'out', line: string): void => {
    const ring = this.rings[direction];
    ring.push(`${(performance.now() - this.started).toFixed(1).padStart(9)} ms ${line}`);
    if (ring.length > this.keep) ring.shift();
  };

  /** Both rings as text: companion → generator first, then generator → companion. */
  snapshot(): string {
    const block = (title: string, lines: string[]) => [
      `  ${title} (last ${lines.length}):`,
      ...lines.map((l) => `    ${l}`),
    ];
    return [
      ...block('companion → generator, as the generator got them', this.rings.in),
      ...block('generator → companion, as they went out', this.rings.out),
    ].join('\n');
  }
}
