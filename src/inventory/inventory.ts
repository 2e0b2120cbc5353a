/**
 * The inventory: every object read, its origin, and indexes built once.
 */
import type { InputProblem, InventoryObject, K8sObject, Locator, Origin } from './types.js';
import { checkObjectShape, fieldPath, type ShapeIssue } from './shapes.js';

/** Kinds that live outside namespaces (built-in ones; CRDs say so in their own spec). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'APIService',
  'CertificateSigningRequest', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'FlowSchema',
  'PriorityLevelConfiguration', 'ComponentStatus', 'GatewayClass', 'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy', 'ClusterAdminNetworkPolicy', 'PodSecurityPolicy',
  'SelfSubjectReview', 'TokenReview', 'SubjectAccessReview', 'SelfSubjectAccessReview',
  'SelfSubjectRulesReview', 'IPAddress', 'ServiceCIDR', 'DeviceClass', 'ClusterTrustBundle', 'DeviceTaintRule',
  'VolumeAttributesClass', 'ResourceSlice', 'StorageVersion', 'StorageVersionMigration',
  // well-known cluster-scoped custom resources (CSI snapshots), for manifests read without their CRDs
  'VolumeSnapshotClass', 'VolumeSnapshotContent',
  // not an API resource: a kubelet's configuration (a file, or nodes/NAME/proxy/configz read by kordon)
  'KubeletConfiguration',
]);

export function isNamespaced(obj: K8sObject, clusterScopedCrdKinds?: ReadonlySet<string>): boolean {
  return !CLUSTER_SCOPED_KINDS.has(obj.kind) && !(clusterScopedCrdKinds?.has(obj.kind) ?? false);
}

/** `group/version` → group ('' for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i === -1 ? '' : apiVersion.slice(0, i);
}

export class Inventory {
  readonly objects: readonly InventoryObject[];
  private readonly inputProblems: InputProblem[];
  private lateRead = false;
  private addedProblems: Set<string> | undefined;
  readonly locator: Locator | undefined;
  private readonly kindIndex = new Map<string, InventoryObject[]>();
  private readonly nsIndex = new Map<string, InventoryObject[]>();
  private readonly keyIndex = new Map<string, InventoryObject>();
  private readonly clusterScopedCrdKinds = new Set<string>();

  constructor(given: Array<{ object: K8sObject; origin: Origin }>, problems: InputProblem[] = [], locator?: Locator) {
    // the door: every field kordon reads has the API's type from here on (src/inventory/shapes.ts)
    const input: Array<{ object: K8sObject; origin: Origin }> = [];
    const shapeProblems: InputProblem[] = [];
    for (const entry of given) {
      const check = checkObjectShape(entry.object as unknown as Record<string, unknown>);
      // a network policy read without one of its fields would select or allow other traffic than
      // it says (a dropped podSelector selects every pod): it is left out whole, as the API
      // server would reject it
      const whole = !check.skip && check.issues.length > 0 && WHOLE_OR_NOTHING.has(entry.object.kind);
      if (check.skip) shapeProblems.push(shapeProblem(entry.object, entry.origin, check.skip, locator, true));
      else if (!whole) input.push(entry);
      for (const issue of check.issues) shapeProblems.push(shapeProblem(entry.object, entry.origin, issue, locator, false, whole));
    }
    for (const { object } of input) {
      if (object.kind === 'CustomResourceDefinition') {
        const spec = object['spec'] as { scope?: string; names?: { kind?: string } } | undefined;
        if (spec?.scope === 'Cluster' && spec.names?.kind) this.clusterScopedCrdKinds.add(spec.names.kind);
      }
    }
    const counts = new Map<string, number>();
    const objects: InventoryObject[] = [];
    for (const { object, origin } of input) {
      const ns = this.namespaceOf(object);
      const name = object.metadata.name;
      // joined, not concatenated: keys and ids are kept (and hashed) as flat strings
      const key = [object.kind, ns ?? '', name ?? ''].join('/');
      // the id names the object as `get` finds it; unnamed objects go by generateName
      const base = name !== undefined && name !== null ? key : [object.kind, ns ?? '', object.metadata.generateName ?? '<unnamed>'].join('/');
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      const item: InventoryObject = { id: n === 1 ? base : `${base}#${n}`, index: objects.length, object, origin };
      objects.push(item);
      push(this.kindIndex, object.kind, item);
      if (ns !== undefined) push(this.nsIndex, ns, item);
      if (!this.keyIndex.has(key)) this.keyIndex.set(key, item);
    }
    this.objects = objects;
    this.inputProblems = shapeProblems.length ? [...problems, ...shapeProblems] : [...problems];
    this.locator = locator;
  }

  /** What could not be read, or was read with a warning (with the locator's late findings, such as repeated JSON names). */
  get problems(): readonly InputProblem[] {
    if (!this.lateRead) {
      this.lateRead = true;
      const late = this.locator?.lateProblems?.();
      if (late) for (const p of late) this.inputProblems.push(p);
    }
    return this.inputProblems;
  }

  /**
   * Records a problem an analysis met in an object it reads (a wrongly-typed field it had to
   * leave out); the same problem reported twice (two analyses of one inventory) is kept once.
   */
  addProblem(p: InputProblem): void {
    const key = JSON.stringify(p);
    this.addedProblems ??= new Set(this.inputProblems.map((x) => JSON.stringify(x)));
    if (this.addedProblems.has(key)) return;
    this.addedProblems.add(key);
    this.inputProblems.push(p);
  }

  /** The namespace an object lives in: its own, `default` when namespaced and unset, undefined when cluster-scoped. */
  namespaceOf(obj: K8sObject): string | undefined {
    if (!isNamespaced(obj, this.clusterScopedCrdKinds)) return undefined;
    return obj.metadata.namespace || 'default';
  }

  byKind(kind: string): readonly InventoryObject[] {
    return this.kindIndex.get(kind) ?? [];
  }

  inNamespace(ns: string): readonly InventoryObject[] {
    return this.nsIndex.get(ns) ?? [];
  }

  get(kind: string, namespace: string | undefined, name: string): InventoryObject | undefined {
    return this.keyIndex.get(`${kind}/${namespace ?? ''}/${name}`);
  }

  /** Namespaces in use: declared Namespace objects and namespaces objects live in, sorted. */
  namespaces(): string[] {
    const set = new Set<string>(this.nsIndex.keys());
    for (const n of this.byKind('Namespace')) if (n.object.metadata.name) set.add(n.object.metadata.name);
    return [...set].sort();
  }
}

/** One problem per bad field: the object, the field's path and line, what was expected; never the value. */
/** Kinds kept only when every field kordon reads is well typed (see the constructor). */
const WHOLE_OR_NOTHING = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

function shapeProblem(object: K8sObject, origin: Origin, issue: ShapeIssue, locator: Locator | undefined, skipped: boolean, objectLeftOut = false): InputProblem {
  const o = (typeof object === 'object' && object !== null ? object : {}) as { kind?: unknown; metadata?: unknown };
  const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : undefined) as { name?: unknown; namespace?: unknown } | undefined;
  const kind = typeof o.kind === 'string' ? o.kind : 'object';
  const name = !skipped && meta && typeof meta.name === 'string' ? ` ${typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/` : ''}${meta.name}` : '';
  const field = fieldPath(issue.pointer) || 'the object';
  const outcome = skipped
    ? 'the object was skipped'
    : objectLeftOut
      ? `the ${kind} was left out (read without this field it would select or allow other traffic)`
    : issue.placeholder
      ? 'it holds a template placeholder (filled in later); the field was ignored'
    : issue.listDropped
      ? `the list ${fieldPath(issue.pointer.slice(0, issue.pointer.lastIndexOf('/')))} was ignored`
      : 'the field was ignored';
  let pos: { line: number; column: number } | undefined;
  try {
    pos = locator?.locate(origin, issue.pointer);
  } catch {
    pos = undefined;
  }
  const line = pos && pos.line > 0 ? pos.line : origin.line;
  return {
    source: origin.source,
    ...(line > 0 ? { line, column: pos && pos.line > 0 ? pos.column : origin.column } : {}),
    documentIndex: origin.documentIndex,
    code: 'wrong-type',
    // a placeholder is what the file is meant to hold until CI fills it in: said, not an input error
    severity: issue.placeholder && !skipped && !objectLeftOut ? 'warning' : 'error',
    message: `${kind}${name}: ${field} should be ${issue.expected}, found ${issue.found}; ${outcome}`,
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
