/**
 * Vulnerabilities attached to an inventory: `scan --vulns`, `paths --vulns` and `plan --vulns`
 * analyse the reports once against the inventory and attach the result, so the vulnerability
 * controls (KOR-0400…) and the security graph (exploit entry edges) read it as they read the
 * objects: a pure function of (inventory, reports, evidence), computed once per inventory.
 */
import type { Inventory } from '../inventory/inventory.js';
import type { InputProblem } from '../inventory/types.js';
import type { ImageReport } from '../sources/vulns/model.js';
import type { ContainerEvidence } from '../sources/runtime/model.js';
import { analyseVulns, type ContainerVerdict, type ImageEntry, type VulnAnalysis, type VulnEntry } from './analyse.js';
import { normalisedRef, parseImageRef } from './image-ref.js';
import { digestOf } from '../sources/vulns/model.js';

/** What the readers produced: reports, runtime evidence, their problems, a KEV catalogue. */
export interface VulnInputs {
  reports: readonly ImageReport[];
  evidence?: readonly ContainerEvidence[];
  problems?: readonly InputProblem[];
  kev?: { ids: ReadonlySet<string>; source: string };
  /** Images to treat as patched (`paths --what-if-patch`): their vulnerabilities are left out. */
  patched?: readonly string[];
}

export interface VulnContext {
  analysis: VulnAnalysis;
  /** `workloadId|container` → the vulnerabilities of the image it runs, each with this container's own verdict. */
  byContainer: Map<string, Array<{ v: VulnEntry; c: ContainerVerdict }>>;
  /** `workloadId|container` → the image entry's display name and key. */
  imageOf: Map<string, { image: string; key: string; method: string; pointer?: string }>;
  /** What it was computed from (a what-if re-attaches it to the changed inventory). */
  inputs: VulnInputs;
}

/**
 * Does an image entry answer to what a user typed: its digest (any of them), its reference as
 * given, or the same normalised reference (`nginx:1.25` is `docker.io/library/nginx:1.25`)?
 */
export function imageIs(img: Pick<ImageEntry, 'key' | 'image' | 'reference' | 'digests' | 'configDigest'>, spec: string): boolean {
  const s = spec.trim();
  if (s === img.key || s === img.image || img.digests.includes(s) || img.configDigest === s) return true;
  const d = digestOf(s);
  if (d && (img.digests.includes(d) || img.configDigest === d)) return true;
  const n = parseImageRef(s);
  return n !== undefined && img.reference !== undefined && normalisedRef(n) === img.reference;
}

const ATTACHED = new WeakMap<Inventory, VulnContext>();

export function attachVulns(inv: Inventory, input: VulnInputs): VulnContext {
  for (const p of input.problems ?? []) inv.addProblem(p);
  const analysis = analyseVulns({ inventory: inv, reports: input.reports, ...(input.evidence ? { evidence: input.evidence } : {}), ...(input.kev ? { kev: input.kev } : {}) });
  for (const p of analysis.problems) inv.addProblem(p);
  const patched = new Set(input.patched ?? []);
  const byKey = new Map<string, VulnEntry[]>();
  for (const v of analysis.vulnerabilities) (byKey.get(v.imageKey) ?? byKey.set(v.imageKey, []).get(v.imageKey)!).push(v);
  const byContainer = new Map<string, Array<{ v: VulnEntry; c: ContainerVerdict }>>();
  const imageOf = new Map<string, { image: string; key: string; method: string; pointer?: string }>();
  for (const img of analysis.images) {
    const gone = [...patched].some((p) => imageIs(img, p));
    img.matches.forEach((m, i) => {
      const use = img.uses[i];
      const k = `${m.workload}|${m.container}`;
      imageOf.set(k, { image: img.image, key: img.key, method: m.method, ...(use?.pointer ? { pointer: use.pointer } : {}) });
      if (gone) return;
      const list = byContainer.get(k) ?? byContainer.set(k, []).get(k)!;
      for (const v of byKey.get(img.key) ?? []) {
        // judged in the order of the image's matches (src/vulns/analyse.ts)
        const at = v.evidence.containers[i];
        const c = at && at.workload === m.workload && at.container === m.container ? at : v.evidence.containers.find((x) => x.workload === m.workload && x.container === m.container);
        if (c) list.push({ v, c });
      }
    });
  }
  const ctx = { analysis, byContainer, imageOf, inputs: input };
  ATTACHED.set(inv, ctx);
  return ctx;
}

export function vulnsOf(inv: Inventory): VulnContext | undefined {
  return ATTACHED.get(inv);
}

/**
 * Exploitable, for the security graph: not ruled out by runtime evidence (in use, or no evidence
 * either way), and critical as stated or known exploited. Network reachability is the graph's own.
 */
export function exploitable(v: VulnEntry, inUse = v.inUse): boolean {
  return inUse !== 'no' && (v.kev === true || v.severity.toLowerCase() === 'critical');
}
