/**
 * Finding priority: the same misconfiguration ranks higher when it lies on an attack path from
 * an exposed entry point to a crown jewel. A finding lies on a path when one of the path's
 * steps is caused by the finding's object at the finding's pointer (or a field below or above
 * it): e.g. `privileged: true` enabling a container escape, a RoleBinding enabling
 * `read-secrets`, a Namespace without NetworkPolicy enabling lateral movement.
 */
import type { Finding, Severity } from '../engine/types.js';
import { isPodBearing } from '../inventory/podspec.js';
import type { Inventory } from '../inventory/inventory.js';
import { JEWEL_CATEGORIES, type JewelCategory } from './graph.js';
import type { BuiltGraph } from './build.js';
import { computePaths } from './paths.js';

export interface FindingPriority {
  /** 0–100: severity, raised by the attack paths the finding takes part in. */
  score: number;
  /** Number of attack paths (from an entry point: the internet or the node network, to a crown jewel) the finding lies on. */
  onPaths: number;
  reason: string;
}

/** A finding's priority before attack paths (also the plan's risk without the graph). */
export const SEVERITY_BASE: Record<Severity, number> = { critical: 50, high: 40, medium: 25, low: 10, info: 0 };
const CATEGORY_WORDS: Record<JewelCategory, string> = {
  'cluster-admin': 'cluster-admin',
  'control-plane': 'the control plane',
  node: 'a node',
  'cloud-identity': 'a cloud identity',
  'all-secrets': 'every Secret',
  'system-secret': 'a system secret',
  custom: 'a marked crown jewel',
};

/** `a` is `b` or a pointer above it. */
function segmentPrefix(a: string, b: string): boolean {
  return a === b || b.startsWith(a + '/');
}

/** Priorities for findings (same order), from every attack path starting at an entry point (the internet, the node network). */
export function prioritizeFindings(bg: BuiltGraph, findings: readonly Finding[]): FindingPriority[] {
  const g = bg.graph;
  const paths = computePaths(bg);
  // object id → [pointer, path index] of every cause on a path.
  const causes = new Map<string, Array<{ pointer: string; path: number; controls?: string[] }>>();
  paths.forEach((p, pi) => {
    const seen = new Set<string>();
    for (let i = 0; i < p.edges.length; i++) {
      const e = p.edges[i]!;
      let evidence = g.evidenceOf(e);
      if (g.kinds[g.edgeDst[e]!] === 'network-segment') {
        const src = g.edgeSrc[e]!;
        while (g.kinds[g.edgeDst[p.edges[i]!]!] === 'network-segment' && i + 1 < p.edges.length) i++;
        evidence = bg.networkEvidence(src, g.edgeDst[p.edges[i]!]!);
      }
      for (const ev of evidence) {
        if (ev.role !== 'cause') continue;
        const k = `${ev.object}|${ev.pointer}|${ev.controls?.join(',') ?? ''}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const list = causes.get(ev.object);
        const entry = { pointer: ev.pointer, path: pi, ...(ev.controls ? { controls: ev.controls } : {}) };
        if (list) list.push(entry);
        else causes.set(ev.object, [entry]);
      }
    }
  });
  const inv: Inventory = bg.inventory;
  const podBearing = new Set(inv.objects.filter((o) => isPodBearing(o.object)).map((o) => o.id));
  return findings.map((f) => {
    const base = SEVERITY_BASE[f.severity];
    const list = f.object ? causes.get(f.object.id) : undefined;
    const hits = new Set<number>();
    if (list && f.object) {
      const wholeObjectOk = f.pointer !== '' || !podBearing.has(f.object.id);
      for (const c of list) {
        // Object-level causes name their controls; field causes match the field or anything below it.
        if (c.controls ? c.controls.includes(f.control) : wholeObjectOk && segmentPrefix(c.pointer, f.pointer)) hits.add(c.path);
      }
    }
    if (hits.size === 0) return { score: base, onPaths: 0, reason: 'not on an attack path from an entry point' };
    const cats = new Map<JewelCategory, number>();
    const origins = new Set<string>();
    for (const h of hits) {
      cats.set(paths[h]!.category, (cats.get(paths[h]!.category) ?? 0) + 1);
      origins.add(g.keys[g.edgeSrc[paths[h]!.edges[0]!]!] === 'internet' ? 'the internet' : 'the node network');
    }
    const targets = [...cats.keys()].sort((a, b) => JEWEL_CATEGORIES.indexOf(a) - JEWEL_CATEGORIES.indexOf(b));
    const score = Math.min(100, base + 30 + Math.min(20, hits.size * 4));
    const n = hits.size;
    return { score, onPaths: n, reason: `on ${n} attack path${n === 1 ? '' : 's'} from ${[...origins].sort().reverse().join(' and ')} to ${targets.map((t) => CATEGORY_WORDS[t]).join(', ')}` };
  });
}
