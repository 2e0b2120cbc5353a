/**
 * Attack paths on inputs shaped like public repositories (test/corpus/graph/): every path read
 * as an attacker would, the impossible ones asserted gone and the true ones asserted present.
 *
 * - goat: kubernetes-goat's shape. Exposed only through NodePorts, externalIPs and a
 *   hostNetwork DaemonSet, so the node network is the entry point; a privileged DaemonSet and a
 *   privileged health check escape to the node, and from there the token of a pod bound to the
 *   built-in cluster-admin. Jobs, a CronJob and a `restartPolicy: Never` pod behind Services or
 *   host ports are not entered over the network; the privileged init container of a Job is a
 *   finding and an escape for whoever creates that pod, not a foothold in the running pod.
 * - microservices-demo: 12 hardened Deployments, one LoadBalancer, no RBAC: no path.
 * - argo-cd: the API server's ClusterRole (get/patch/delete on everything, create Jobs) reads
 *   every Secret with no Secret in the input, creates a privileged pod, runs a pod as the
 *   application controller (cluster-admin) and rewrites admission.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { buildSecurityGraph, type BuiltGraph } from '../../src/graph/build.js';
import { findAttackPaths, resolveStart, type AttackPath } from '../../src/graph/paths.js';
import { scanInventory } from '../../src/scan.js';
import { edgesFrom, runCli, stepLines } from './graph-support.js';

const CORPUS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../corpus/graph');

async function corpus(name: string): Promise<Inventory> {
  const loaded = await loadManifests([path.join(CORPUS, name)]);
  assert.deepEqual(loaded.problems, [], `${name} loads cleanly`);
  return new Inventory(loaded.objects, loaded.problems, loaded.locator);
}

const headline = (p: AttackPath): string => `${p.from} → ${p.to} [${p.category}, cost ${p.cost}] via ${p.steps.find((s) => s.target.startsWith('Deployment') || s.target.startsWith('DaemonSet'))?.target}`;

describe('corpus: kubernetes-goat shape', () => {
  let inv: Inventory;
  let bg: BuiltGraph;
  let paths: AttackPath[];
  before(async () => {
    inv = await corpus('goat');
    bg = buildSecurityGraph(inv);
    paths = findAttackPaths(bg, { max: 1000 }).paths;
  });

  it('the node network is the entry point: NodePorts, externalIPs and hostNetwork are tried and said', () => {
    const r = findAttackPaths(bg);
    assert.equal(r.entryPoints!.text, 'entry points tried: 6 NodePort Services, 1 Service with externalIPs, 1 hostNetwork workload (reaching 7 workloads)');
    assert.deepEqual(r.entryPoints!.tried.find((t) => t.kind === 'hostNetwork')!.objects, ['DaemonSet default/system-monitor']);
    assert.ok(paths.every((p) => p.from === 'node network (VPC / LAN)'));
  });

  it('the true paths: two escapes to the node, and the cluster-admin token of a pod on it', () => {
    assert.deepEqual(paths.map(headline), [
      'node network (VPC / LAN) → any node (pods without placement constraints) [node, cost 2] via DaemonSet default/system-monitor',
      'node network (VPC / LAN) → any node (pods without placement constraints) [node, cost 2] via Deployment default/health-check-deployment',
      'node network (VPC / LAN) → cluster-admin (full control of the cluster) [cluster-admin, cost 4] via DaemonSet default/system-monitor',
      'node network (VPC / LAN) → cluster-admin (full control of the cluster) [cluster-admin, cost 4] via Deployment default/health-check-deployment',
    ]);
    assert.deepEqual(stepLines(paths[2]!).slice(-6), [
      'any node (pods without placement constraints) -node-in-pool-> pods that may run on any node',
      'pods that may run on any node -node-runs-pod-> Deployment kube-system/admin-console',
      'Deployment kube-system/admin-console -runs-container-> container console of Deployment kube-system/admin-console',
      'container console of Deployment kube-system/admin-console -mounts-> service account token of Deployment kube-system/admin-console (automounted)',
      'service account token of Deployment kube-system/admin-console (automounted) -uses-token-> ServiceAccount kube-system/superadmin',
      'ServiceAccount kube-system/superadmin -is-cluster-admin-> cluster-admin (full control of the cluster)',
    ]);
  });

  it('the impossible steps are gone', () => {
    const steps = paths.flatMap((p) => p.steps);
    // run-to-completion pods behind a NodePort or a host port are not entered
    for (const s of steps) assert.ok(!/batch-check|hidden-in-layers|layer-inspector/.test(s.target), `${s.edge} → ${s.target}`);
    assert.deepEqual(edgesFrom(bg, 'external:node-network', 'exposes').map((e) => e.target).filter((t) => /batch|layer/.test(t)), []);
    // kubectl sleeping in a pod listens on nothing: not a lateral-movement target
    assert.ok(!steps.some((s) => s.edge === 'network-reach' && s.target.includes('admin-console')));
    // no path repeats another entry's path after a detour through it
    assert.ok(!steps.some((s) => s.edge === 'network-reach'));
    // no path runs a finished init container
    assert.ok(!steps.some((s) => s.target.includes('host-prep')));
  });

  it('a privileged init container is still a finding and an escape for whoever creates that pod', () => {
    const init = 'Job/default/batch-check-job#container:host-prep';
    assert.equal(edgesFrom(bg, 'Job/default/batch-check-job', 'runs-container', init)[0]!.weight, -1);
    assert.equal(edgesFrom(bg, init, 'container-escape').length, 1);
    const r = scanInventory(inv, ['goat']);
    assert.ok(r.findings.some((f) => f.control === 'pss-privileged' && f.object?.id === 'Job/default/batch-check-job' && f.pointer.includes('/initContainers/0')));
    // the superadmin account can create such a pod anywhere
    const fromAdmin = findAttackPaths(bg, { from: resolveStart(bg.graph, 'sa:kube-system/superadmin'), max: 100 });
    assert.equal(fromAdmin.paths[0]!.category, 'cluster-admin');
    assert.ok(edgesFrom(bg, 'ServiceAccount/kube-system/superadmin', 'create-privileged-pod').length === 1);
  });

  it('a namespace-scoped secret reader is not "every Secret"', () => {
    assert.deepEqual(edgesFrom(bg, 'ServiceAccount/big-monolith/big-monolith-sa', 'read-secrets').map((e) => e.target), ['scope:secrets/big-monolith']);
    const r = findAttackPaths(bg, { from: resolveStart(bg.graph, 'big-monolith/hunger-check-deployment'), max: 100 });
    assert.ok(r.paths.every((p) => p.category !== 'all-secrets'));
  });
});

describe('corpus: microservices-demo shape', () => {
  it('one LoadBalancer tried, no path; the CLI says which entry points were tried in every format', async () => {
    const dir = path.join(CORPUS, 'microservices-demo');
    const pretty = await runCli(['paths', dir]);
    assert.equal(pretty.code, 0);
    assert.equal(pretty.stdout, 'No attack path from the entry points to a crown jewel.\nentry points tried: 1 LoadBalancer Service (reaching 1 workload)\n');
    const json = await runCli(['paths', dir, '-f', 'json']);
    assert.deepEqual(JSON.parse(json.stdout), {
      entryPoints: { tried: [{ kind: 'LoadBalancer', count: 1, objects: ['Service default/frontend-external'] }], workloads: 1, text: 'entry points tried: 1 LoadBalancer Service (reaching 1 workload)' },
      partial: false,
      problems: [],
      paths: [],
      total: 0,
      shown: 0,
    });
    const html = await runCli(['paths', dir, '-f', 'html']);
    assert.match(html.stdout, /entry points tried/);
    assert.match(html.stdout, /1 LoadBalancer Service \(reaching 1 workload\)/);
  });
});

describe('corpus: argo-cd shape', () => {
  let inv: Inventory;
  let paths: AttackPath[];
  before(async () => {
    inv = await corpus('argo-cd');
    paths = findAttackPaths(buildSecurityGraph(inv), { max: 100 }).paths;
  });

  it('the API server token reads every Secret, though the input holds none', () => {
    assert.equal(inv.byKind('Secret').length, 0);
    const secrets = paths.find((p) => p.category === 'all-secrets')!;
    assert.equal(secrets.to, 'all secrets in every namespace');
    assert.deepEqual(stepLines(secrets).at(-1), 'ServiceAccount argocd/argocd-server -read-secrets-> all secrets in every namespace');
    assert.deepEqual(secrets.steps.at(-1)!.evidence.map((e) => `${e.object} ${e.pointer}`), ['ClusterRoleBinding//argocd-server /subjects', 'ClusterRole//argocd-server /rules/0']);
  });

  it('exactly the true paths, each from the Ingress through the API server', () => {
    assert.deepEqual(
      paths.map((p) => `${p.category}: ${p.steps.at(-1)!.edge}`),
      ['all-secrets: read-secrets', 'node: contains', 'cluster-admin: is-cluster-admin', 'control-plane: change-admission'],
    );
    for (const p of paths) assert.deepEqual(stepLines(p).slice(0, 3), ['the internet -exposes-> Ingress argocd/argocd-server', 'Ingress argocd/argocd-server -routes-to-> Service argocd/argocd-server', 'Service argocd/argocd-server -selects-> Deployment argocd/argocd-server']);
    // creating Jobs is enough for a privileged pod (no Pod Security enforced), and for a pod running as the controller
    assert.ok(paths[1]!.steps.some((s) => s.edge === 'create-privileged-pod' && s.evidence.some((e) => e.pointer === '/rules/4')));
    assert.ok(stepLines(paths[2]!).includes('service accounts in namespace argocd -contains-> ServiceAccount argocd/argocd-application-controller'));
    // repo-server mounts no token; redis is reached only by its clients: neither is on a path
    for (const p of paths) for (const s of p.steps) assert.ok(!/repo-server|redis/.test(s.target));
  });

  it('the same input gives the same bytes', async () => {
    const dir = path.join(CORPUS, 'argo-cd');
    const a = await runCli(['paths', dir, '-f', 'json']);
    assert.equal((await runCli(['paths', dir, '-f', 'json'])).stdout, a.stdout);
    assert.match(a.stdout, /"text": "entry points tried: 1 Ingress \(reaching 1 workload\)"/);
  });
});

describe('exposure that cannot carry traffic', () => {
  it('a named targetPort no container has, or an Ingress naming a Service port that does not exist, is no entry point', () => {
    const dep = (name: string, ports: unknown[]): K8sObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'web' }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x:1', ports }] } } } });
    const svc = (name: string, type: string, port: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'web' }, spec: { type, selector: { app: name }, ports: [port] } });
    const objects: K8sObject[] = [
      dep('named', [{ name: 'http', containerPort: 8080 }]),
      svc('named', 'LoadBalancer', { port: 80, targetPort: 'web' }), // no container port is called web
      dep('numbered', []),
      svc('numbered', 'LoadBalancer', { port: 80, targetPort: 8080 }), // undeclared, but the container may listen on it
      dep('routed', [{ containerPort: 8080 }]),
      svc('routed', 'ClusterIP', { port: 80, targetPort: 8080 }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'routed', namespace: 'web' }, spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'routed', port: { number: 8443 } } } }] } }] } },
    ];
    const bg = buildSecurityGraph(new Inventory(objects.map((object, i) => ({ object, origin: { source: 'x.yaml', documentIndex: i, itemPointer: '', line: 1, column: 1 } }))));
    const r = findAttackPaths(bg);
    assert.deepEqual(r.entryPoints!.tried.map((t) => `${t.kind}: ${t.objects.join(', ')}`), ['LoadBalancer: Service web/numbered']);
    assert.deepEqual(edgesFrom(bg, 'Service/web/named', 'selects'), []);
    assert.equal(bg.graph.find('Ingress/web/routed'), undefined);
  });
});

describe('exposure behind NetworkPolicy', () => {
  it('a load balancer or Ingress in front of pods whose ingress admits nothing from there is no entry point', () => {
    const dep = (name: string, ns: string): K8sObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 8080 }] }] } } } });
    const lb = (name: string, ns: string, type = 'LoadBalancer'): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
    const np = (ns: string, name: string, ingress: unknown[]): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress } });
    const ing = (name: string, ns: string): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns }, spec: { rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] } });
    const objects: K8sObject[] = [
      dep('denied', 'fenced'), lb('denied', 'fenced'), np('fenced', 'deny', []),
      dep('internal-only', 'inner'), lb('internal-only', 'inner'), np('inner', 'pods-only', [{ from: [{ namespaceSelector: {} }] }]),
      dep('open', 'public'), lb('open', 'public'), np('public', 'from-anywhere', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }]),
      dep('wrong-port', 'ported'), lb('wrong-port', 'ported'), np('ported', 'other-port', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 9090 }] }]),
      // through an Ingress the traffic comes from the controller's pods: a pod peer may admit them
      dep('routed', 'inner'), lb('routed', 'inner', 'ClusterIP'), ing('routed', 'inner'),
      dep('blocked', 'fenced'), lb('blocked', 'fenced', 'ClusterIP'), ing('blocked', 'fenced'),
    ];
    const bg = buildSecurityGraph(new Inventory(objects.map((object, i) => ({ object, origin: { source: 'x.yaml', documentIndex: i, itemPointer: '', line: 1, column: 1 } }))));
    const r = findAttackPaths(bg);
    assert.deepEqual(r.entryPoints!.tried.map((t) => `${t.kind}: ${t.objects.join(', ')}`), ['LoadBalancer: Service public/open', 'Ingress: Ingress inner/routed']);
  });
});
