/**
 * Severity from context: with an inventory (`--inventory PATHS` or `--cluster`), each detection's
 * actor is placed in the security graph (src/graph) and what it can reach decides:
 *
 * - an actor with an attack path to a crown jewel (cluster-admin, nodes, system secrets, cloud
 *   identities) raises its detections one step, naming the shortest path;
 * - an actor the inventory grants nothing that leads anywhere lowers its activity detections
 *   (info stays info);
 * - a new binding (KOR-0914, KOR-0923, KOR-0950) is replayed on the inventory (what-if): one that
 *   opens a new path to a crown jewel is critical; one that opens none (a sandbox namespace) is
 *   one step lower.
 */
import type { Severity } from '../engine/types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { buildSecurityGraph, type BuiltGraph } from '../graph/build.js';
import { computePaths, describePath, resolveStart } from '../graph/paths.js';
import { applyChanges, pathSignature, WHAT_IF_ANNOTATION } from '../graph/what-if.js';
import { Inventory as InventoryClass } from '../inventory/inventory.js';
import type { AttackPath } from '../graph/paths.js';
import type { Subject } from '../rbac/types.js';
import type { Actor, Detection } from './analyze.js';

const UP: Record<Severity, Severity> = { info: 'low', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };
const DOWN: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'info', info: 'info' };

/** pod (ns/name) → service account (ns/name), from the inventory's pods. */
export function podServiceAccountsOf(inv: Inventory): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of inv.objects) {
    const obj = o.object as K8sObject & { spec?: { serviceAccountName?: unknown } };
    if (obj.kind !== 'Pod' || !obj.metadata?.name) continue;
    const ns = obj.metadata.namespace ?? 'default';
    const sa = typeof obj.spec?.serviceAccountName === 'string' ? obj.spec.serviceAccountName : 'default';
    out.set(`${ns}/${obj.metadata.name}`, `${ns}/${sa}`);
  }
  return out;
}

interface Reach {
  paths: number;
  categories: string[];
  example?: string;
  /** The actor itself is cluster-admin (a crown jewel). */
  isAdmin: boolean;
  /** The actor appears in the graph at all (bound somewhere). */
  known: boolean;
}

function startSpecs(a: Actor): string[] {
  const specs = a.kind === 'serviceaccount' ? [`sa:${a.namespace}/${a.name}`] : [`user:${a.username}`];
  for (const g of a.groups) specs.push(`group:${g}`);
  return specs;
}

function reachOf(bg: BuiltGraph, a: Actor): Reach {
  const g = bg.graph;
  const starts = [...new Set(startSpecs(a).flatMap((s) => resolveStart(g, s)))];
  if (!starts.length) return { paths: 0, categories: [], isAdmin: false, known: false };
  const isAdmin = starts.some((v) => g.jewels[v] === 'cluster-admin');
  const paths = computePaths(bg, { from: starts });
  const categories = [...new Set(paths.map((p) => p.category))].sort();
  const first = paths[0] ? describePath(bg, paths[0]) : undefined;
  return { paths: paths.length, categories, ...(first ? { example: [first.from, ...first.steps.map((s) => s.target)].join(' -> ') } : {}), isAdmin, known: true };
}

const BINDING_DETECTIONS = new Set(['KOR-0914', 'KOR-0923', 'KOR-0950']);
/** Detections whose meaning depends on who acts (not on what was created). */
const ACTOR_DETECTIONS = new Set(['KOR-0907', 'KOR-0908', 'KOR-0909', 'KOR-0918', 'KOR-0951', 'KOR-0952', 'KOR-0960', 'KOR-0906', 'KOR-0921']);

function bindingObject(d: Detection): K8sObject | undefined {
  const o = d.objects[0];
  const details = d.context.details;
  if (!o?.name || (o.resource !== 'rolebindings' && o.resource !== 'clusterrolebindings')) return undefined;
  const role = typeof details.role === 'string' ? details.role : undefined;
  const subjects = Array.isArray(details.subjects) ? details.subjects : [];
  if (!role || !subjects.length) return undefined;
  const [roleKind, roleName] = role.includes('/') ? role.split('/', 2) : ['ClusterRole', role];
  const kind = o.resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding';
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: o.name, ...(kind === 'RoleBinding' && o.namespace ? { namespace: o.namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects: subjects.map((s) => {
      const i = s.indexOf(':');
      const sk = s.slice(0, i);
      const rest = s.slice(i + 1);
      if (sk === 'ServiceAccount') {
        const [ns, n] = rest.split('/', 2);
        return { kind: 'ServiceAccount', name: n, namespace: ns };
      }
      return { kind: sk, name: rest, apiGroup: 'rbac.authorization.k8s.io' };
    }),
  } as unknown as K8sObject;
}

/**
 * The attack paths a binding adds to the inventory: from the usual entry points (exposed
 * workloads) and from the binding's own subjects (a user or service account someone may hold).
 */
export function pathsOpened(inv: Inventory, binding: K8sObject): AttackPath[] {
  const subjects: Subject[] = ((binding as unknown as { subjects?: Array<{ kind: string; name: string; namespace?: string }> }).subjects ?? [])
    .filter((s) => s.kind === 'User' || s.kind === 'Group' || s.kind === 'ServiceAccount')
    .map((s) => ({ kind: s.kind as Subject['kind'], name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) }));
  const specs = subjects.map((s) => (s.kind === 'ServiceAccount' ? `sa:${s.namespace}/${s.name}` : `${s.kind === 'User' ? 'user' : 'group'}:${s.name}`));
  const all = (i: Inventory): AttackPath[] => {
    const bg = buildSecurityGraph(i, { extraSubjects: subjects });
    const from = [...new Set(specs.flatMap((x) => resolveStart(bg.graph, x)))];
    const paths = computePaths(bg).map((p) => describePath(bg, p));
    if (from.length) paths.push(...computePaths(bg, { from }).map((p) => describePath(bg, p)));
    return paths;
  };
  // the inventory may be read after the log (a live cluster): it may hold the binding already.
  // Before = without it, after = with it.
  const origin = { source: 'audit log', line: 0 } as never;
  const base = inv.objects.map((o) => ({ object: o.object, origin: o.origin }));
  const del = { ...binding, metadata: { ...binding.metadata, annotations: { ...(binding.metadata.annotations ?? {}), [WHAT_IF_ANNOTATION]: 'delete' } } } as K8sObject;
  const without = applyChanges(base, [{ object: del, origin }]);
  const applied = applyChanges(without.objects, [{ object: binding, origin }]);
  const before = new Set(all(without.deleted ? new InventoryClass(without.objects, [...inv.problems]) : inv).map(pathSignature));
  const seen = new Set<string>();
  return all(new InventoryClass(applied.objects, [...inv.problems])).filter((p) => {
    const sig = pathSignature(p);
    if (before.has(sig) || seen.has(sig)) return false;
    seen.add(sig);
    return true;
  });
}

/**
 * The inventory's context, applied detection by detection (the graph is built once, on first
 * use; reach is cached per actor). Used after a log is read, and as detections come
 * (`audit serve --inventory`, `audit --stream --inventory`).
 */
export class AuditContext {
  private bg: BuiltGraph | undefined;
  private readonly cache = new Map<string, Reach>();
  private whatIfs = 0;

  constructor(private readonly inv: Inventory, private readonly maxWhatIf = 50) {}

  private reach(a: Actor): Reach {
    // a user the inventory binds nothing to has no vertex: its groups decide what it reaches
    this.bg ??= buildSecurityGraph(this.inv);
    const k = `${a.username}\u0000${a.groups.join(',')}`;
    let r = this.cache.get(k);
    if (!r) this.cache.set(k, (r = reachOf(this.bg, a)));
    return r;
  }

  /** A new detection object with the context applied (the input is not changed). */
  apply(d0: Detection): Detection {
    const d: Detection = { ...d0, context: { ...d0.context, reasons: [...d0.context.reasons], details: { ...d0.context.details } } };
    let sev = d.severity;
    // a new binding: what it opens
    if (BINDING_DETECTIONS.has(d.id) && d.id !== 'KOR-0950' && this.whatIfs < this.maxWhatIf) {
      const b = bindingObject(d);
      if (b && d.context.details.verb !== 'delete') {
        this.whatIfs++;
        const added = pathsOpened(this.inv, b);
        const cats = [...new Set(added.map((p) => p.category))].sort();
        d.context.opens = { paths: added.length, categories: cats, ...(added[0] ? { example: [added[0].from, ...added[0].steps.map((s) => s.target)].join(' -> ') } : {}) };
        if (added.length) {
          sev = 'critical';
          d.context.reasons.push(`the binding opens ${added.length} new attack ${added.length === 1 ? 'path' : 'paths'} to ${cats.join(', ')} in the inventory, e.g. ${d.context.opens.example}`);
        } else if (sev !== 'info') {
          sev = DOWN[sev];
          d.context.reasons.push('the binding opens no new attack path to a crown jewel in the inventory');
        }
      }
    }
    if (ACTOR_DETECTIONS.has(d.id) || d.id === 'KOR-0950') {
      const r = this.reach(d.actor);
      d.context.reach = { pathsToCrownJewels: r.paths, categories: r.categories, ...(r.example ? { example: r.example } : {}) };
      if (r.isAdmin) {
        d.context.reasons.push(`${d.actor.username} is cluster-admin in the inventory`);
        sev = UP[sev];
      } else if (r.paths > 0) {
        sev = UP[sev];
        d.context.reasons.push(`${d.actor.username} reaches ${r.categories.join(', ')} in the inventory (${r.paths} ${r.paths === 1 ? 'path' : 'paths'}), e.g. ${r.example}`);
      } else if (sev !== 'info' && d.id !== 'KOR-0906') {
        sev = DOWN[sev];
        d.context.reasons.push(r.known ? `${d.actor.username} reaches no crown jewel in the inventory` : `${d.actor.username} is granted nothing in the inventory`);
      }
    }
    d.severity = sev;
    return d;
  }
}

/** Applies the inventory's context to the detections (new objects; the input is not changed). */
export function applyContext(detections: readonly Detection[], inv: Inventory): Detection[] {
  const ctx = new AuditContext(inv);
  return detections.map((d) => ctx.apply(d));
}
