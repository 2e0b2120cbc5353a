/**
 * The attack paths an action closes, by the security graph's what-if (src/graph/what-if.ts):
 * the action's change is applied to a copy of the inventory and the paths are searched again.
 *
 * The change of an action is what its findings say: the JSON patch each finding carries, and
 * for the namespace controls of NetworkPolicy, the default-deny policy their remediation asks
 * for. Findings without either cannot be simulated: such an action's closed paths are not
 * counted, and the action says so (`pathsMethod: "not-simulated"`).
 */
import type { Finding } from '../engine/types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject, Origin } from '../inventory/types.js';
import { Inventory as InventoryClass } from '../inventory/inventory.js';
import { buildSecurityGraph } from '../graph/build.js';
import { computePaths, describePath, type AttackPath } from '../graph/paths.js';
import { applyChanges, pathSignature } from '../graph/what-if.js';
import { applyPatches } from './patch.js';
import { namedKubernetesVersion, setTargetKubernetesVersion } from '../rbac/builtins.js';
import { shareRbacIndexes } from '../rbac/model.js';
import { apiGroupOf } from '../inventory/inventory.js';
import { COLLECT_AFTER_OBJECTS, collectIfGrown } from '../util/memory.js';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** A change to a Role, ClusterRole or binding: the what-if needs its own RBAC index. */
function changesRbac(changes: readonly Entry[]): boolean {
  return changes.some((c) => RBAC_KINDS.has(c.object.kind) && apiGroupOf(c.object.apiVersion) === 'rbac.authorization.k8s.io');
}

type Entry = { object: K8sObject; origin: Origin };

/** NetworkPolicy controls whose remediation is a default-deny policy in the namespace. */
const DEFAULT_DENY: Record<string, Array<'Ingress' | 'Egress'>> = {
  'namespace-without-network-policy': ['Ingress', 'Egress'],
  'net-namespace-no-default-deny-ingress': ['Ingress'],
  'net-namespace-no-default-deny-egress': ['Egress'],
};

export const WHAT_IF_POLICY_NAME = 'kordon-assess-default-deny';

function namespaceOf(f: Finding): string | undefined {
  if (!f.object) return undefined;
  return f.object.kind === 'Namespace' ? f.object.name : f.object.namespace;
}

/** Whether a finding's fix can be simulated. */
export function simulable(f: Finding): boolean {
  return (f.fix !== undefined && f.fix.length > 0 && f.object !== undefined) || (DEFAULT_DENY[f.control] !== undefined && namespaceOf(f) !== undefined);
}

/** The changed objects that the fixes of these findings make (one entry per object). */
export function changesFor(inv: Inventory, findings: readonly Finding[]): Entry[] {
  const byObject = new Map<string, Finding[]>();
  const denies = new Map<string, Set<'Ingress' | 'Egress'>>();
  for (const f of findings) {
    const deny = DEFAULT_DENY[f.control];
    const ns = namespaceOf(f);
    if (deny && ns !== undefined) {
      const set = denies.get(ns) ?? new Set();
      for (const t of deny) set.add(t);
      denies.set(ns, set);
      continue;
    }
    if (!f.fix?.length || !f.object) continue;
    const list = byObject.get(f.object.id);
    if (list) list.push(f);
    else byObject.set(f.object.id, [f]);
  }
  const byId = new Map(inv.objects.map((o) => [o.id, o]));
  const out: Entry[] = [];
  for (const id of [...byObject.keys()].sort()) {
    const item = byId.get(id);
    if (!item) continue;
    const { object } = applyPatches(item.object, byObject.get(id)!.flatMap((f) => f.fix ?? []));
    out.push({ object, origin: item.origin });
  }
  for (const ns of [...denies.keys()].sort()) {
    const types = [...denies.get(ns)!].sort();
    out.push({
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: WHAT_IF_POLICY_NAME, namespace: ns }, spec: { podSelector: {}, policyTypes: types } },
      origin: { source: '(assess what-if)', documentIndex: 0, itemPointer: '', line: 0, column: 0 },
    });
  }
  return out;
}

/** Paths searched on an inventory (all of them, described: signatures compare across graphs). */
function pathsOf(inv: Inventory): AttackPath[] {
  const bg = buildSecurityGraph(inv);
  return computePaths(bg).map((p) => describePath(bg, p));
}

export class PathSimulator {
  readonly base: AttackPath[];
  private readonly baseSigs: string[];
  constructor(private readonly inv: Inventory) {
    this.base = pathsOf(inv);
    this.baseSigs = this.base.map(pathSignature);
  }

  /** The signatures of the paths left after the changes. */
  remaining(changes: readonly Entry[]): Set<string> {
    if (changes.length === 0) return new Set(this.baseSigs);
    // each what-if builds a whole graph that is garbage once its paths are read: on a large
    // cluster, collect it before the next one rather than at V8's limit (util/memory.ts)
    if (this.inv.objects.length >= COLLECT_AFTER_OBJECTS) collectIfGrown();
    const applied = applyChanges(
      this.inv.objects.map((o) => ({ object: o.object, origin: o.origin })),
      changes,
    );
    const copy = new InventoryClass(applied.objects, [...this.inv.problems]);
    // the copy is judged for the same Kubernetes version (built-in roles), and shares the RBAC
    // index when no Role or binding changed (most what-ifs patch pods and namespaces)
    setTargetKubernetesVersion(copy, namedKubernetesVersion(this.inv));
    if (!changesRbac(changes)) shareRbacIndexes(this.inv, copy);
    return new Set(pathsOf(copy).map(pathSignature));
  }

  /** The base paths that are gone after the changes (in base order). */
  closedBy(changes: readonly Entry[]): AttackPath[] {
    const left = this.remaining(changes);
    return this.base.filter((_, i) => !left.has(this.baseSigs[i]!));
  }

  signature(p: AttackPath): string {
    return pathSignature(p);
  }
}

/** `from → to (category)`: how a closed path is named in the assessment. */
export function pathName(p: AttackPath): string {
  return `${p.from} → ${p.to}`;
}
