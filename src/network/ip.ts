/**
 * IP addresses and CIDR ranges (IPv4 and IPv6) as bigint intervals, and the split of the
 * address space into the disjoint "atomic" ranges that every ipBlock boundary produces.
 */

export type IpFamily = 4 | 6;

export interface IpRange {
  family: IpFamily;
  lo: bigint;
  hi: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function familyMax(f: IpFamily): bigint {
  return f === 4 ? V4_MAX : V6_MAX;
}

export function fullRange(f: IpFamily): IpRange {
  return { family: f, lo: 0n, hi: familyMax(f) };
}

export function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

export function parseIPv6(s: string): bigint | undefined {
  let text = s;
  // Embedded IPv4 in the last 32 bits (::ffff:1.2.3.4) becomes two hex groups.
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    if (lastColon === -1) return undefined;
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: bigint[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<bigint>(missing).fill(0n), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** An address (`10.0.0.1`, `fd00::1`) as a one-address range. */
export function parseAddress(s: string): IpRange | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 4, lo: v4, hi: v4 };
  const v6 = parseIPv6(s);
  if (v6 !== undefined) return { family: 6, lo: v6, hi: v6 };
  return undefined;
}

/** A CIDR (`10.0.0.0/8`, `fd00:ec2::254/128`); a bare address is a /32 or /128. Host bits are masked. */
export function parseCidr(s: string): IpRange | undefined {
  const slash = s.indexOf('/');
  const addr = parseAddress(slash === -1 ? s.trim() : s.slice(0, slash).trim());
  if (!addr) return undefined;
  const bits = addr.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const p = s.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  const mask = (1n << hostBits) - 1n;
  const lo = addr.lo & ~mask & familyMax(addr.family);
  return { family: addr.family, lo, hi: lo | mask };
}

export function formatAddress(family: IpFamily, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // Longest run of zero groups (length >= 2) becomes '::' (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `a.b.c.d-e.f.g.h` (np-guard's range notation). */
export function formatRange(r: IpRange): string {
  return `${formatAddress(r.family, r.lo)}-${formatAddress(r.family, r.hi)}`;
}

export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * Splits each family's whole address space at every boundary of the given ranges: the result is
 * disjoint, covers the space, and every given range is a union of result ranges. IPv6 is split
 * only when some range is IPv6; IPv4 always (its full range stands for "anywhere outside").
 */
export function atomicRanges(ranges: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const family of [4, 6] as const) {
    const mine = ranges.filter((r) => r.family === family);
    if (family === 6 && mine.length === 0) continue;
    const cuts = new Set<bigint>([0n]);
    for (const r of mine) {
      cuts.add(r.lo);
      if (r.hi < familyMax(family)) cuts.add(r.hi + 1n);
    }
    const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < starts.length; i++) {
      const lo = starts[i]!;
      const hi = i + 1 < starts.length ? starts[i + 1]! - 1n : familyMax(family);
      out.push({ family, lo, hi });
    }
  }
  return out;
}
