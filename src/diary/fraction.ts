/**
 * Exact non-negative rationals on bigint: the criterion's boundaries (exactly 30 %, a baseline of
 * 20/3) must be decided exactly, never by floating point.
 */
export interface Fraction {
  num: bigint;
  /** Always > 0. */
  den: bigint;
}

export function fraction(num: bigint | number, den: bigint | number = 1n): Fraction {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) throw new RangeError('fraction with zero denominator');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n < 0n ? -n : n, d < 0n ? -d : d) || 1n;
  return { num: (sign * n) / g, den: (sign * d) / g };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** a ≥ b, exactly. */
export function fractionGte(a: Fraction, b: Fraction): boolean {
  return a.num * b.den >= b.num * a.den;
}

export function toNumber(f: Fraction): number {
  return Number(f.num) / Number(f.den);
}

export function fractionText(f: Fraction): string {
  return f.den === 1n ? String(f.num) : `${f.num}/${f.den}`;
}

/** A decimal like `6`, `6.25` or `.5` read exactly (no sign, no exponent); undefined if not one. */
export function parseDecimal(text: string): Fraction | undefined {
  const m = /^(\d*)(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[1] === '' && m[2] === undefined)) return undefined;
  const whole = m[1] === '' ? '0' : m[1]!;
  const frac = m[2] ?? '';
  return fraction(BigInt(whole + frac), 10n ** BigInt(frac.length));
}

/** Mean of integers as an exact fraction. */
export function meanOf(values: readonly number[]): Fraction {
  const sum = values.reduce((s, v) => s + BigInt(v), 0n);
  return fraction(sum, BigInt(values.length));
}
