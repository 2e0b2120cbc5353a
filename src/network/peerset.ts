/**
 * A set of peer indices (workloads, then external ranges), kept sparse: the indices sorted
 * ascending without duplicates. Policy subjects and rule peers usually hold a handful of
 * peers out of many thousands, so a dense bitmap per policy and rule would make the network
 * model quadratic in time and memory; this one is proportional to what is selected.
 */
export class PeerSet {
  static readonly none = new PeerSet(new Int32Array(0));

  /** `indices` must be sorted ascending without duplicates (use `PeerSet.from` otherwise). */
  constructor(readonly indices: Int32Array) {}

  /** A set from indices in any order, duplicates allowed. */
  static from(indices: readonly number[]): PeerSet {
    if (indices.length === 0) return PeerSet.none;
    const sorted = Int32Array.from(indices).sort();
    let n = 1;
    for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
    return new PeerSet(n === sorted.length ? sorted : sorted.slice(0, n));
  }

  /** The union of several sets. */
  static union(sets: readonly PeerSet[]): PeerSet {
    const nonEmpty = sets.filter((s) => s.size > 0);
    if (nonEmpty.length === 0) return PeerSet.none;
    if (nonEmpty.length === 1) return nonEmpty[0]!;
    const all: number[] = [];
    for (const s of nonEmpty) for (const i of s.indices) all.push(i);
    return PeerSet.from(all);
  }

  get size(): number {
    return this.indices.length;
  }

  isEmpty(): boolean {
    return this.indices.length === 0;
  }

  has(index: number): boolean {
    const a = this.indices;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v === index) return true;
      if (v < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
