/** Versions as Kubernetes, container runtimes and kernels write them, and OSV-style ranges over them. */

export interface Version {
  nums: number[];
  /** Pre-release parts (`rc93`, `rc.3` → ['rc', 3]); empty for a release. */
  pre: Array<string | number>;
}

/** `v1.33.4`, `1.33.4-eks-1a2b`, `1.0.0-rc93`, `5.15.0`; undefined when it starts with no number. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?/.exec(text.trim());
  if (!m) return undefined;
  const nums = m[1]!.split('.').map(Number);
  const pre = m[2] && /^(?:alpha|beta|rc)/.test(m[2]) ? m[2].split(/[.-]|(?<=[a-z])(?=\d)/).filter((s) => s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
  return { nums, pre };
}

export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.nums.length, b.nums.length);
  for (let i = 0; i < n; i++) {
    const d = (a.nums[i] ?? 0) - (b.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  // a release sorts after its pre-releases
  if (a.pre.length === 0 || b.pre.length === 0) return (a.pre.length === 0 ? 1 : 0) - (b.pre.length === 0 ? 1 : 0);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

export function cmp(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return 0;
  return compareVersions(x, y);
}

export type RangeEvents = Array<{ introduced?: string; fixed?: string }>;

/** Whether a version is in one OSV SEMVER range (introduced inclusive, fixed exclusive; `0` is the start). */
export function inRange(v: string, events: RangeEvents): boolean {
  let affected = false;
  for (const e of events) {
    if (e.introduced !== undefined && (e.introduced === '0' || cmp(v, e.introduced) >= 0)) affected = true;
    if (e.fixed !== undefined && cmp(v, e.fixed) >= 0) affected = false;
  }
  return affected;
}

/** The fixed version of the range a version falls in. */
export function fixOf(v: string, ranges: RangeEvents[]): string | undefined {
  for (const r of ranges) if (inRange(v, r)) return r.find((e) => e.fixed !== undefined)?.fixed;
  return undefined;
}

/** `1.33` of a version. */
export function minorOf(v: string): string | undefined {
  const p = parseVersion(v);
  return p && p.nums.length >= 2 ? `${p.nums[0]}.${p.nums[1]}` : undefined;
}

/** The version in an image reference's tag (`registry.k8s.io/kube-apiserver:v1.33.4`). */
export function imageVersion(image: string): string | undefined {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.indexOf('/', colon) >= 0) return undefined;
  const tag = ref.slice(colon + 1);
  return /^v?\d+\.\d+\.\d+/.test(tag) ? tag : undefined;
}

export interface KernelVersion {
  /** The upstream version (`5.15.0`). */
  upstream: string;
  /**
   * A distribution build (`-91-generic`, `-362.el9`, `-195.807.amzn2`): distributions backport
   * fixes without changing the upstream version, so the upstream version says nothing about them.
   */
  distribution: boolean;
}

export function parseKernel(text: string): KernelVersion | undefined {
  const m = /^(\d+\.\d+(?:\.\d+)?)(.*)$/.exec(text.trim());
  if (!m) return undefined;
  return { upstream: m[1]!, distribution: /^-\d/.test(m[2]!) };
}

/**
 * Whether an upstream kernel version carries a bug introduced in `introduced` and fixed in the
 * given stable releases: a line with a fix is affected below it; a line newer than every fixed
 * line has the fix from mainline; an older line without a fix (an ended stable line) is affected.
 */
export function kernelAffected(upstream: string, introduced: string, fixed: string[]): boolean {
  if (cmp(upstream, introduced) < 0) return false;
  const line = minorOf(upstream);
  const same = fixed.find((f) => minorOf(f) === line);
  if (same) return cmp(upstream, same) < 0;
  const newest = fixed.map((f) => minorOf(f)!).sort((a, b) => cmp(a, b)).pop();
  return !(newest && cmp(line ?? upstream, newest) > 0);
}
