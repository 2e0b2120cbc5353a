/**
 * Benchmark: the security graph and attack paths on a large synthetic cluster.
 *
 *   npx tsx bench/graph.ts [--scale 1] [--owned] [--out bench/out/graph-results.md] [--write-list FILE]
 *
 * --write-list FILE writes the generated objects as one `kubectl get -o json` List and stops
 * (for timing `kordon scan FILE --attack-paths` end to end).
 *
 * At scale 1: 5,000 nodes, 150,000 pods (as Pod objects, pinned to nodes), 10,000 namespaces,
 * 10,000 services (1 in 10 a LoadBalancer), 20,000 role bindings, a privileged log-agent
 * DaemonSet bound to cluster-admin, and default-deny NetworkPolicies in 300 namespaces.
 * Measures building the graph and finding the paths from every exposed entry point (the
 * inventory is built before the clock starts), and the peak resident memory of the process.
 * Deterministic input (no randomness).
 *
 * --owned generates the pods as a real cluster holds them instead of bare pods: in each
 * namespace three Deployments (a0 with 5 replicas, a1 and a2) with their ReplicaSets, and pods
 * owned by the ReplicaSets (labels with pod-template-hash, the service account token volume,
 * the API server's defaults), and the log-agent DaemonSet's pod on every node (with the
 * tolerations and node affinity the DaemonSet controller adds).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Inventory } from '../src/inventory/inventory.js';
import type { K8sObject, Origin } from '../src/inventory/types.js';
import { buildSecurityGraph } from '../src/graph/build.js';
import { computePaths } from '../src/graph/paths.js';

const args = process.argv.slice(2);
const scale = Number(args[args.indexOf('--scale') + 1] ?? 1) || 1;
const out = args.includes('--out') ? args[args.indexOf('--out') + 1]! : scale === 1 ? 'bench/out/graph-results.md' : undefined;

const NODES = Math.round(5000 * scale);
const NAMESPACES = Math.round(10000 * scale);
const PODS_PER_NS = 15;
const POLICY_NAMESPACES = Math.round(300 * scale);
const OWNED = args.includes('--owned');

let peakRss = 0;
const sample = (): void => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 50);

function generate(): Array<{ object: K8sObject; origin: Origin }> {
  const objs: K8sObject[] = [];
  for (let n = 0; n < NODES; n++) {
    const cp = n < 3;
    objs.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}`, pool: n % 2 ? 'general' : 'batch', ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } }, spec: {} });
  }
  objs.push(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'log-agent', namespace: 'kube-system' } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'log-agent', namespace: 'kube-system', uid: 'ds-log-agent' },
      spec: { selector: { matchLabels: { app: 'log-agent' } }, template: { metadata: { labels: { app: 'log-agent' } }, spec: { serviceAccountName: 'log-agent', containers: [{ name: 'agent', image: 'fluent/fluent-bit:3.1', securityContext: { privileged: true }, volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }] }], volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }] } } },
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'log-agent' }, subjects: [{ kind: 'ServiceAccount', name: 'log-agent', namespace: 'kube-system' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' }, rules: [{ apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'edit' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec', 'secrets', 'serviceaccounts'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update', 'patch'] }] },
  );
  for (let s = 0; s < 5; s++) objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `system-${s}`, namespace: 'kube-system' }, type: 'Opaque' });
  for (let i = 0; i < NAMESPACES; i++) {
    const ns = `ns-${String(i).padStart(5, '0')}`;
    objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `t${i % 50}` } } });
    objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: ns } });
    objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-config', namespace: ns }, type: 'Opaque' });
    if (OWNED) objs.push(...ownedWorkloads(i, ns));
    else for (let p = 0; p < PODS_PER_NS; p++) {
      const n = (i * PODS_PER_NS + p) % NODES;
      const risky = p === 0 && i % 97 === 0;
      objs.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${p}`, namespace: ns, labels: { app: `a${p % 3}` } },
        spec: {
          nodeName: `node-${n}`,
          serviceAccountName: 'app',
          containers: [
            {
              name: 'main',
              image: `registry.example.com/app-${i % 200}:1.${p}`,
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [{ name: 'CONFIG', valueFrom: { secretKeyRef: { name: 'app-config', key: 'config' } } }],
              ...(risky ? { securityContext: { privileged: true } } : {}),
            },
          ],
        },
      });
    }
    objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { type: i % 10 === 0 ? 'LoadBalancer' : 'ClusterIP', selector: { app: 'a0' }, ports: [{ port: 80, targetPort: 'http' }] } });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'app-view', namespace: ns }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 100 === 0 ? 'edit' : 'view' } });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'team-edit', namespace: ns }, subjects: [{ kind: 'Group', name: `team-${i % 50}` }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } });
    if (i < POLICY_NAMESPACES) {
      objs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
      objs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'same-namespace', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] } });
    }
  }
  if (OWNED) for (let n = 0; n < NODES; n++) objs.push(daemonPod(n));
  return objs.map((object, i) => ({ object, origin: { source: 'bench', documentIndex: i, itemPointer: '', line: 1, column: 1 } }));
}

/** What the API server adds to every pod's containers and spec (defaults). */
function podDefaults(sa: string, token: string): { spec: Record<string, unknown>; mount: Record<string, unknown> } {
  return {
    spec: {
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: sa,
      terminationGracePeriodSeconds: 30,
      volumes: [{ name: token, projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } }] } }],
    },
    mount: { name: token, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
  };
}

/** Three Deployments with their ReplicaSets and pods (5 + 5 + 5 replicas), as the API server returns them. */
function ownedWorkloads(i: number, ns: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (let d = 0; d < 3; d++) {
    const app = `a${d}`;
    const hash = `${(i * 7 + d).toString(36).padStart(5, 'x')}f7d`;
    const depUid = `dep-${i}-${d}`;
    const rsUid = `rs-${i}-${d}`;
    const risky = d === 0 && i % 97 === 0;
    const container = {
      name: 'main',
      image: `registry.example.com/app-${i % 200}:1.${d}`,
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      env: [{ name: 'CONFIG', valueFrom: { secretKeyRef: { name: 'app-config', key: 'config' } } }],
      resources: {},
      ...(risky ? { securityContext: { privileged: true } } : {}),
    };
    const template = { metadata: { labels: { app } }, spec: { serviceAccountName: 'app', containers: [container] } };
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, uid: depUid, labels: { app } }, spec: { replicas: 5, selector: { matchLabels: { app } }, template } });
    out.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${app}-${hash}`, namespace: ns, uid: rsUid, labels: { app, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: depUid, controller: true }] },
      spec: { replicas: 5, selector: { matchLabels: { app, 'pod-template-hash': hash } }, template: { metadata: { labels: { app, 'pod-template-hash': hash } }, spec: template.spec } },
    });
    for (let r = 0; r < 5; r++) {
      const node = (i * 15 + d * 5 + r) % NODES;
      const defaults = podDefaults('app', `kube-api-access-${hash.slice(0, 5)}`);
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${hash}-${r.toString(36)}zq${d}`, namespace: ns, uid: `pod-${i}-${d}-${r}`, labels: { app, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: rsUid, controller: true }] },
        spec: {
          ...defaults.spec,
          nodeName: `node-${node}`,
          serviceAccountName: 'app',
          containers: [{ ...container, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [defaults.mount] }],
          tolerations: [
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          ],
        },
        status: { phase: 'Running', podIP: `10.${(i >> 8) & 255}.${i & 255}.${d * 5 + r + 2}`, containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: container.image, imageID: `${container.image.split(':')[0]}@sha256:${'ab'.repeat(32)}` }] },
      });
    }
  }
  return out;
}

/** The log-agent DaemonSet's pod on node n, as the DaemonSet controller creates it. */
function daemonPod(n: number): K8sObject {
  const defaults = podDefaults('log-agent', 'kube-api-access-lg7x2');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `log-agent-${n.toString(36).padStart(5, '0')}`, namespace: 'kube-system', uid: `ds-pod-${n}`, labels: { app: 'log-agent', 'controller-revision-hash': '6d4cf56db6', 'pod-template-generation': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'log-agent', uid: 'ds-log-agent', controller: true }] },
    spec: {
      ...defaults.spec,
      nodeName: `node-${n}`,
      serviceAccountName: 'log-agent',
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [`node-${n}`] }] }] } } },
      containers: [{ name: 'agent', image: 'fluent/fluent-bit:3.1', imagePullPolicy: 'IfNotPresent', securityContext: { privileged: true }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }, defaults.mount] }],
      volumes: [{ name: 'varlog', hostPath: { path: '/var/log', type: '' } }, ...(defaults.spec['volumes'] as unknown[])],
      tolerations: ['not-ready', 'unreachable', 'disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable'].map((t) => ({ key: `node.kubernetes.io/${t}`, operator: 'Exists', effect: t === 'not-ready' || t === 'unreachable' ? 'NoExecute' : 'NoSchedule' })),
    },
    status: { phase: 'Running' },
  };
}

const generated = generate();
// --write-list FILE: the same objects as one `kubectl get -o json` List, for `kordon scan` end to end
const listOut = args.includes('--write-list') ? args[args.indexOf('--write-list') + 1] : undefined;
if (listOut) {
  mkdirSync(path.dirname(listOut), { recursive: true });
  writeFileSync(listOut, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: generated.map((o) => o.object) }));
  process.stdout.write(`wrote ${generated.length} objects to ${listOut}\n`);
  process.exit(0);
}
const t0 = performance.now();
const inv = new Inventory(generated);
const tInventory = performance.now() - t0;
sample();
const count = (k: string): number => inv.byKind(k).length;

const t1 = performance.now();
const bg = buildSecurityGraph(inv);
const tBuild = performance.now() - t1;
sample();
const t2 = performance.now();
const paths = computePaths(bg);
const tPaths = performance.now() - t2;
sample();
clearInterval(timer);

const g = bg.graph;
const byCategory = new Map<string, number>();
for (const p of paths) byCategory.set(p.category, (byCategory.get(p.category) ?? 0) + 1);
const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const total = tBuild + tPaths;

const report = `# Graph benchmark

Generated by \`npx tsx bench/graph.ts\` (scale ${scale}). Input is synthetic and deterministic.

| Input | Count |
| --- | ---: |
| Nodes | ${count('Node').toLocaleString('en')} |
| Pods (objects) | ${count('Pod').toLocaleString('en')} |
| Namespaces | ${count('Namespace').toLocaleString('en')} |
| Services (1 in 10 LoadBalancer) | ${count('Service').toLocaleString('en')} |
| RoleBindings | ${count('RoleBinding').toLocaleString('en')} |
| NetworkPolicies | ${count('NetworkPolicy').toLocaleString('en')} |

| Result | Value |
| --- | ---: |
| Graph vertices | ${g.vertexCount.toLocaleString('en')} |
| Graph edges | ${g.edgeCount.toLocaleString('en')} |
| Attack paths (all entry points, all crown-jewel categories) | ${paths.length.toLocaleString('en')} (${[...byCategory].map(([k, v]) => `${k} ${v}`).join(', ')}) |
| Building the inventory (not counted) | ${s(tInventory)} |
| Building the graph | ${s(tBuild)} |
| Finding the paths | ${s(tPaths)} |
| **Graph + paths** | **${s(total)}** (budget 60 s) |
| **Peak resident memory** (whole process, inventory included) | **${mib(peakRss)}** (budget 2 GiB) |

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; single-threaded.
`;
process.stdout.write(report);
if (out) {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, report);
}
