/**
 * Kubernetes resource quantities, exact: a quantity is the rational number n / d (d a power of
 * ten, binary suffixes folded into n), so `1.5Gi`, `1500m` and `2e3` compare and add without
 * rounding, as k8s.io/apimachinery/pkg/api/resource does.
 */
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SHAPE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export class Quantity {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d: bigint) {
    const g = gcd(n, d) || 1n;
    this.n = n / g;
    this.d = d / g;
  }
  static parse(text: string): Quantity | undefined {
    const m = SHAPE.exec(text);
    if (!m) return undefined;
    const [, sign, digits = '', suffix = ''] = m;
    const [whole = '', frac = ''] = digits.split('.');
    let n = BigInt((whole || '0') + frac);
    let d = 10n ** BigInt(frac.length);
    if (sign === '-') n = -n;
    if (suffix in BINARY) n *= BINARY[suffix]!;
    else {
      const exp = suffix in DECIMAL ? DECIMAL[suffix]! : Number(suffix.slice(1));
      if (!Number.isFinite(exp) || Math.abs(exp) > 1000) return undefined;
      if (exp >= 0) n *= 10n ** BigInt(exp);
      else d *= 10n ** BigInt(-exp);
    }
    return new Quantity(n, d);
  }
  compareTo(other: Quantity): number {
    const l = this.n * other.d;
    const r = other.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  add(other: Quantity): Quantity {
    return new Quantity(this.n * other.d + other.n * this.d, this.d * other.d);
  }
  sub(other: Quantity): Quantity {
    return new Quantity(this.n * other.d - other.n * this.d, this.d * other.d);
  }
  sign(): number {
    return this.n < 0n ? -1 : this.n > 0n ? 1 : 0;
  }
  /** Integral and within int64 (the API server's AsInt64 succeeds). */
  isInteger(): boolean {
    return this.n % this.d === 0n && this.n / this.d >= INT64_MIN && this.n / this.d <= INT64_MAX;
  }
  /** Rounded up to an integer, as the API server's AsInt64 when the value is not integral. */
  asInteger(): bigint | undefined {
    if (!this.isInteger()) return undefined;
    return this.n / this.d;
  }
  asApproximateFloat(): number {
    return Number(this.n) / Number(this.d);
  }
  toString(): string {
    if (this.n % this.d === 0n) return String(this.n / this.d);
    return String(Number(this.n) / Number(this.d));
  }
}
