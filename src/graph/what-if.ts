/**
 * What-if: apply proposed changes to an inventory and compare attack paths.
 *
 * A changed object replaces the object of the same kind, namespace and name; a new one is
 * added; an object annotated `kordon.dev/what-if: delete` removes its namesake.
 */
import { Inventory, isNamespaced } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import { buildSecurityGraph, type GraphOptions } from './build.js';
import { computePaths, describePath, type AttackPath } from './paths.js';
import { attachVulns, vulnsOf } from '../vulns/context.js';

export const WHAT_IF_ANNOTATION = 'kordon.dev/what-if';

type Entry = { object: K8sObject; origin: Origin };

function keyOf(o: K8sObject): string {
  const ns = isNamespaced(o) ? o.metadata.namespace || 'default' : '';
  return `${o.kind}/${ns}/${o.metadata.name ?? ''}`;
}

export function applyChanges(base: readonly Entry[], changes: readonly Entry[]): { objects: Entry[]; replaced: number; added: number; deleted: number } {
  const byKey = new Map<string, Entry | null>();
  const order: string[] = [];
  for (const e of base) {
    const k = keyOf(e.object);
    if (!byKey.has(k)) order.push(k);
    byKey.set(k, e);
  }
  let replaced = 0;
  let added = 0;
  let deleted = 0;
  for (const c of changes) {
    const k = keyOf(c.object);
    const existed = byKey.get(k) != null;
    if (c.object.metadata.annotations?.[WHAT_IF_ANNOTATION] === 'delete') {
      if (existed) deleted++;
      byKey.set(k, null);
      continue;
    }
    if (existed) replaced++;
    else {
      added++;
      if (!byKey.has(k)) order.push(k);
    }
    byKey.set(k, c);
  }
  const objects = order.map((k) => byKey.get(k)).filter((e): e is Entry => e != null);
  return { objects, replaced, added, deleted };
}

/** A path's identity across two graphs: the vertices and edge kinds it goes through. */
export function pathSignature(p: AttackPath): string {
  return [p.fromKey, ...p.steps.map((s) => `${s.edge}>${s.target}`)].join(' | ');
}

export interface WhatIfResult {
  before: number;
  after: number;
  removed: AttackPath[];
  added: AttackPath[];
  changes: { replaced: number; added: number; deleted: number };
}

export function whatIf(base: Inventory, changes: readonly Entry[], opts: GraphOptions & { from?: string[] } = {}): WhatIfResult {
  const applied = applyChanges(base.objects.map((o) => ({ object: o.object, origin: o.origin })), changes);
  const after = new Inventory(applied.objects, [...base.problems]);
  // the image vulnerabilities (--vulns) hold for the changed objects too
  const vulns = vulnsOf(base);
  if (vulns) attachVulns(after, vulns.inputs);
  const describeAll = (inv: Inventory): AttackPath[] => {
    const bg = buildSecurityGraph(inv, opts);
    return computePaths(bg).map((p) => describePath(bg, p));
  };
  const beforePaths = describeAll(base);
  const afterPaths = describeAll(after);
  const beforeSigs = new Set(beforePaths.map(pathSignature));
  const afterSigs = new Set(afterPaths.map(pathSignature));
  return {
    before: beforePaths.length,
    after: afterPaths.length,
    removed: beforePaths.filter((p) => !afterSigs.has(pathSignature(p))),
    added: afterPaths.filter((p) => !beforeSigs.has(pathSignature(p))),
    changes: { replaced: applied.replaced, added: applied.added, deleted: applied.deleted },
  };
}

/**
 * What-if "patch image X" (`paths --what-if-patch`): the same objects, with the vulnerabilities of
 * the named images left out (as if rebuilt with every fix). Paths that went through an exploit of
 * them are removed; where the generic step ("compromise the application") still reaches the
 * workload, the same route comes back at its generic cost and is counted as added.
 */
export function whatIfPatch(base: Inventory, images: readonly string[], opts: GraphOptions = {}): WhatIfResult & { exploitPaths: { before: number; after: number } } {
  const vulns = vulnsOf(base);
  if (!vulns) throw new Error('whatIfPatch needs an inventory with vulnerabilities attached (attachVulns)');
  const after = new Inventory(base.objects.map((o) => ({ object: o.object, origin: o.origin })), [...base.problems]);
  attachVulns(after, { ...vulns.inputs, patched: [...(vulns.inputs.patched ?? []), ...images] });
  const describeAll = (inv: Inventory): AttackPath[] => {
    const bg = buildSecurityGraph(inv, opts);
    return computePaths(bg).map((p) => describePath(bg, p));
  };
  const beforePaths = describeAll(base);
  const afterPaths = describeAll(after);
  const beforeSigs = new Set(beforePaths.map(pathSignature));
  const afterSigs = new Set(afterPaths.map(pathSignature));
  const exploits = (ps: AttackPath[]): number => ps.filter((p) => p.steps.some((s) => s.edge === 'exploit')).length;
  return {
    before: beforePaths.length,
    after: afterPaths.length,
    removed: beforePaths.filter((p) => !afterSigs.has(pathSignature(p))),
    added: afterPaths.filter((p) => !beforeSigs.has(pathSignature(p))),
    changes: { replaced: 0, added: 0, deleted: 0 },
    exploitPaths: { before: exploits(beforePaths), after: exploits(afterPaths) },
  };
}
