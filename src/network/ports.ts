/**
 * Sets of (protocol, port) pairs: per protocol, sorted disjoint closed intervals of ports.
 * The connection algebra of the reachability engine (union, intersection, difference) and
 * the np-guard style text form (`SCTP 1-65535,TCP 80,8080-8090`).
 */

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Sorted, disjoint, non-adjacent closed intervals [lo, hi]. */
export type Intervals = ReadonlyArray<readonly [number, number]>;

const FULL: Intervals = [[MIN_PORT, MAX_PORT]];
const NONE: Intervals = [];

export function isProtocol(p: string): p is Protocol {
  return (PROTOCOLS as readonly string[]).includes(p);
}

export class PortSet {
  private readonly empty: boolean;
  private readonly full: boolean;

  private constructor(readonly byProtocol: Readonly<Record<Protocol, Intervals>>) {
    this.empty = byProtocol.SCTP.length === 0 && byProtocol.TCP.length === 0 && byProtocol.UDP.length === 0;
    this.full = isFull(byProtocol.SCTP) && isFull(byProtocol.TCP) && isFull(byProtocol.UDP);
  }

  static readonly none: PortSet = new PortSet({ SCTP: NONE, TCP: NONE, UDP: NONE });
  static readonly all: PortSet = new PortSet({ SCTP: FULL, TCP: FULL, UDP: FULL });

  /** One protocol, ports lo..hi (clamped to 1..65535); the whole protocol when lo/hi are omitted. */
  static of(protocol: Protocol, lo: number = MIN_PORT, hi: number = lo === MIN_PORT ? MAX_PORT : lo): PortSet {
    const a = Math.max(MIN_PORT, lo);
    const b = Math.min(MAX_PORT, hi);
    if (a > b) return PortSet.none;
    return new PortSet({ SCTP: NONE, TCP: NONE, UDP: NONE, [protocol]: [[a, b]] } as Record<Protocol, Intervals>);
  }

  static protocol(protocol: Protocol): PortSet {
    return PortSet.of(protocol, MIN_PORT, MAX_PORT);
  }

  isEmpty(): boolean {
    return this.empty;
  }

  isAll(): boolean {
    return this.full;
  }

  union(o: PortSet): PortSet {
    if (o === this || o.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || o.isAll()) return o;
    return this.map(o, unionIntervals);
  }

  intersect(o: PortSet): PortSet {
    if (o === this || o.isAll() || this.isEmpty()) return this;
    if (this.isAll() || o.isEmpty()) return o;
    return this.map(o, intersectIntervals);
  }

  subtract(o: PortSet): PortSet {
    if (o.isEmpty() || this.isEmpty()) return this;
    if (o.isAll()) return PortSet.none;
    return this.map(o, subtractIntervals);
  }

  contains(protocol: Protocol, port: number): boolean {
    return this.byProtocol[protocol].some(([lo, hi]) => port >= lo && port <= hi);
  }

  equals(o: PortSet): boolean {
    return PROTOCOLS.every((p) => sameIntervals(this.byProtocol[p], o.byProtocol[p]));
  }

  /** `All Connections`, `No Connections`, or `SCTP 1-65535,TCP 80,8080,UDP 1-4999,5001-65535`. */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const iv = this.byProtocol[p];
      if (iv.length === 0) continue;
      parts.push(`${p} ${iv.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
    }
    return parts.join(',');
  }

  /** JSON form: protocol → list of `lo` or `lo-hi` strings; `{ all: true }` for everything. */
  toJSON(): Record<string, string[]> | { all: true } {
    if (this.isAll()) return { all: true };
    const out: Record<string, string[]> = {};
    for (const p of PROTOCOLS) {
      const iv = this.byProtocol[p];
      if (iv.length) out[p] = iv.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
    }
    return out;
  }

  private map(o: PortSet, f: (a: Intervals, b: Intervals) => Intervals): PortSet {
    return new PortSet({
      SCTP: f(this.byProtocol.SCTP, o.byProtocol.SCTP),
      TCP: f(this.byProtocol.TCP, o.byProtocol.TCP),
      UDP: f(this.byProtocol.UDP, o.byProtocol.UDP),
    });
  }
}

function isFull(iv: Intervals): boolean {
  return iv.length === 1 && iv[0]![0] === MIN_PORT && iv[0]![1] === MAX_PORT;
}

function sameIntervals(a: Intervals, b: Intervals): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

function unionIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of all) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function intersectIntervals(a: Intervals, b: Intervals): Intervals {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

function subtractIntervals(a: Intervals, b: Intervals): Intervals {
  if (a.length === 0 || b.length === 0) return a;
  const out: Array<[number, number]> = [];
  for (const [lo0, hi] of a) {
    let lo = lo0;
    for (const [blo, bhi] of b) {
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = bhi + 1;
      if (lo > hi) break;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}
