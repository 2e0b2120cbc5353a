/**
 * Shapes of the fields the network model and the attack-path graph read, checked before they
 * are read. The API server would reject an object with a wrongly-typed field (`ports: {}`, a
 * selector given as a string, an ipBlock without a cidr), so such an object cannot exist in a
 * cluster; in a file it is a mistake. Either way it must not blind the analysis of every other
 * object: a bad object is left out of what it breaks (a workload out of the network model, a
 * Service out of exposure, a NetworkPolicy out of the policy set) and named as an input problem
 * by its source and line, and everything else is still judged.
 *
 * Only the fields kordon reads are checked, with the types of the Kubernetes OpenAPI schema
 * (`int32` numbers, `IntOrString` ports, `map[string]string` labels and selectors, lists).
 */
import type { Inventory } from '../inventory/inventory.js';
import { joinPointer } from '../inventory/pointer.js';
import type { InputProblem, InventoryObject } from '../inventory/types.js';

/** One wrongly-typed field: its JSON pointer inside the object and what is wrong. */
export interface ShapeIssue {
  pointer: string;
  message: string;
}

/**
 * A field check. `out` undefined is the fast pass (every well-formed object, which is nearly
 * all of them): no pointer is built and a bad field only sets `failed`; the issues are then
 * collected in a second pass.
 */
type Check = (v: unknown, at: string, out: ShapeIssue[] | undefined) => void;

let failed = false;
function bad(out: ShapeIssue[] | undefined, at: string, message: string): void {
  if (out) out.push({ pointer: at, message });
  else failed = true;
}
const child = (out: ShapeIssue[] | undefined, at: string, k: string | number): string => (out ? joinPointer(at, k) : '');

/** Runs a check: the fast pass, then the issues when it failed. */
function run(check: Check, v: unknown, at: string): ShapeIssue[] {
  failed = false;
  check(v, at, undefined);
  if (!failed) return [];
  const out: ShapeIssue[] = [];
  check(v, at, out);
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Field checks; `undefined` is always fine (absent), `null` too (YAML `key:` with nothing, which the API server treats as absent). */
const str: Check = (v, at, out) => {
  if (v != null && typeof v !== 'string') bad(out, at, `is ${typeName(v)}, not a string`);
};
const bool: Check = (v, at, out) => {
  if (v != null && typeof v !== 'boolean') bad(out, at, `is ${typeName(v)}, not true or false`);
};
const int: Check = (v, at, out) => {
  if (v != null && !(typeof v === 'number' && Number.isInteger(v))) bad(out, at, `is ${typeName(v)}, not a whole number`);
};
const intOrString: Check = (v, at, out) => {
  if (v != null && typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) bad(out, at, `is ${typeName(v)}, not a number or a name`);
};
const stringMap: Check = (v, at, out) => {
  if (v == null) return;
  if (!isObj(v)) {
    bad(out, at, `is ${typeName(v)}, not a map of strings`);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    // YAML reads `version: 1.0` and `enabled: true` as a number and a boolean; the API server
    // would reject them, but every reader of labels turns them into text, so they break nothing.
    if (x !== null && typeof x === 'object') bad(out, child(out, at, k), `is ${typeName(x)}, not a string`);
  }
};
const strings: Check = (v, at, out) => listOf(str)(v, at, out);

function listOf(item: Check): Check {
  return (v, at, out) => {
    if (v == null) return;
    if (!Array.isArray(v)) {
      bad(out, at, `is ${typeName(v)}, not a list`);
      return;
    }
    for (let i = 0; i < v.length; i++) item(v[i], child(out, at, i), out);
  };
}

function objectOf(fields: Record<string, Check>, nullable = true): Check {
  const keys = Object.keys(fields);
  return (v, at, out) => {
    if (v === undefined || (v === null && nullable)) return;
    if (!isObj(v)) {
      bad(out, at, `is ${typeName(v)}, not an object`);
      return;
    }
    for (const k of keys) if (k in v) fields[k]!(v[k], child(out, at, k), out);
  };
}

/** metav1.LabelSelector. */
export const labelSelector: Check = objectOf({
  matchLabels: stringMap,
  matchExpressions: listOf(objectOf({ key: str, operator: str, values: strings }, false)),
});

const containerPort = objectOf({ containerPort: int, hostPort: int, name: str, protocol: str }, false);
const container = objectOf(
  {
    name: str,
    image: str,
    ports: listOf(containerPort),
    volumeMounts: listOf(objectOf({ name: str, mountPath: str, readOnly: bool }, false)),
    env: listOf(objectOf({ name: str, valueFrom: objectOf({ secretKeyRef: objectOf({ name: str, key: str }) }) }, false)),
    envFrom: listOf(objectOf({ secretRef: objectOf({ name: str }) }, false)),
  },
  false,
);
const volume = objectOf(
  {
    name: str,
    hostPath: objectOf({ path: str }),
    secret: objectOf({ secretName: str }),
    projected: objectOf({ sources: listOf(objectOf({ secret: objectOf({ name: str }) }, false)) }),
  },
  false,
);
const podSpec = objectOf({
  containers: listOf(container),
  initContainers: listOf(container),
  ephemeralContainers: listOf(container),
  volumes: listOf(volume),
  hostNetwork: bool,
  nodeName: str,
  nodeSelector: stringMap,
  tolerations: listOf(objectOf({ key: str, operator: str, value: str, effect: str }, false)),
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  restartPolicy: str,
});

/** The fields of a pod spec (at `pointer`) and its pod metadata the network model and graph read. */
const podMetadata = objectOf({ labels: stringMap, annotations: stringMap });
export function podShapeIssues(spec: unknown, pointer: string, metadata: unknown, metadataPointer: string): ShapeIssue[] {
  return [...run(podSpec, spec, pointer), ...run(podMetadata, metadata, metadataPointer)];
}

const serviceShape = objectOf({
  metadata: objectOf({ annotations: stringMap }),
  spec: objectOf({
    type: str,
    selector: stringMap,
    externalIPs: strings,
    allocateLoadBalancerNodePorts: bool,
    ports: listOf(objectOf({ name: str, port: int, targetPort: intOrString, nodePort: int, protocol: str }, false)),
  }),
});

/** A Service's fields that exposure reads. */
export function serviceShapeIssues(svc: unknown): ShapeIssue[] {
  return run(serviceShape, svc, '');
}

const policyPort = objectOf({ protocol: str, port: intOrString, endPort: int }, false);
const policyPeer = objectOf(
  {
    podSelector: labelSelector,
    namespaceSelector: labelSelector,
    ipBlock: objectOf({ cidr: str, except: strings }),
  },
  false,
);
const networkPolicyShape = objectOf({
  spec: objectOf({
    podSelector: labelSelector,
    policyTypes: strings,
    ingress: listOf(objectOf({ from: listOf(policyPeer), ports: listOf(policyPort) }, false)),
    egress: listOf(objectOf({ to: listOf(policyPeer), ports: listOf(policyPort) }, false)),
  }),
});

/** A NetworkPolicy's fields the policy model reads. */
export function networkPolicyShapeIssues(np: unknown): ShapeIssue[] {
  return run(networkPolicyShape, np, '');
}

const adminPeer = objectOf(
  {
    namespaces: labelSelector,
    pods: objectOf({ namespaceSelector: labelSelector, podSelector: labelSelector }),
    networks: strings,
  },
  false,
);
const adminPolicyShape = objectOf({
  spec: objectOf({
    priority: int,
    subject: adminPeer,
    ingress: listOf(objectOf({ action: str, from: listOf(adminPeer) }, false)),
    egress: listOf(objectOf({ action: str, to: listOf(adminPeer) }, false)),
  }),
});

/** An AdminNetworkPolicy's or BaselineAdminNetworkPolicy's fields the policy model reads. */
export function adminPolicyShapeIssues(p: unknown): ShapeIssue[] {
  return run(adminPolicyShape, p, '');
}

/** A Namespace's labels (namespace selectors match them). */
const namespaceShape = objectOf({ metadata: objectOf({ labels: stringMap }) });
export function namespaceShapeIssues(ns: unknown): ShapeIssue[] {
  return run(namespaceShape, ns, '');
}

const located = new WeakMap<InventoryObject, Map<string, number>>();

/**
 * An input problem for an object left out of an analysis: named by its source and the line of
 * the first bad field (the object's line when the source text cannot place it), with every bad
 * field listed. Never a value: only pointers and type names.
 */
export function shapeProblem(inv: Inventory, item: InventoryObject, issues: readonly ShapeIssue[], leftOutOf: string): InputProblem {
  const first = issues[0]!;
  // located once per object and field: the analyses that meet it later (after a scan let the
  // source texts go, see Locator.release) name the same line, so the problem stays one
  let seen = located.get(item);
  if (!seen) located.set(item, (seen = new Map()));
  let line = seen.get(first.pointer);
  if (line === undefined) {
    const at = inv.locator?.locate(item.origin, first.pointer);
    line = at && at.line > 0 ? at.line : item.origin.line;
    seen.set(first.pointer, line);
  }
  const shown = issues.slice(0, 5).map((i) => `${i.pointer || '/'} ${i.message}`);
  if (issues.length > 5) shown.push(`${issues.length - 5} more`);
  const name = item.id.split('/').slice(1).filter(Boolean).join('/');
  return {
    source: item.origin.source,
    ...(line > 0 ? { line } : {}),
    code: 'wrong-type',
    severity: 'error',
    message: `${item.object.kind} ${name}: ${shown.join('; ')}; left out of ${leftOutOf}`,
  };
}
