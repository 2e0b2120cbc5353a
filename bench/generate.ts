/**
 * Synthetic manifest sets for the benchmarks: a realistic mix of workloads, services, config
 * and RBAC spread over namespaces, with deliberate issues (privileged containers, `latest`
 * tags, host namespaces, wildcard roles, missing limits) so the controls have work to do.
 * Deterministic: the same size always gives the same bytes.
 *
 * Usage: node --import tsx bench/generate.ts [--out bench/out] [--sizes 1000,10000,100000]
 * Writes, per size N:  yaml-N/ (one multi-document file per app),  multidoc-N.yaml (one stream),
 * list-N.json (one `kubectl get -o json` List).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dump } from 'js-yaml';
import { prng } from '../test/support/prng.js';

type Obj = Record<string, unknown>;


const IMAGES = ['nginx:1.27.2', 'redis:7.4', 'postgres:16.4', 'ghcr.io/acme/api:latest', 'busybox', 'registry.example.com/team/worker@sha256:' + 'a'.repeat(64), 'quay.io/prometheus/node-exporter:v1.8.2'];

function container(rnd: () => number, name: string, i: number): Obj {
  const issue = rnd();
  const c: Obj = {
    name,
    image: IMAGES[i % IMAGES.length],
    ports: [{ name: 'http', containerPort: 8080 + (i % 10), protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `db-${i % 7}`, key: 'password' } } },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
  };
  if (issue < 0.08) c['securityContext'] = { privileged: true };
  else if (issue < 0.16) c['securityContext'] = { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } };
  else if (issue < 0.24) delete c['resources'];
  else if (issue < 0.3) (c['env'] as Obj[]).push({ name: 'API_TOKEN', value: 'synthetic-not-a-secret' });
  return c;
}

function podSpec(rnd: () => number, app: string, i: number): Obj {
  const spec: Obj = {
    serviceAccountName: app,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container(rnd, app, i)],
    volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
  };
  const r = rnd();
  if (r < 0.05) spec['hostNetwork'] = true;
  else if (r < 0.08) spec['hostPID'] = true;
  else if (r < 0.12) (spec['volumes'] as Obj[]).push({ name: 'host', hostPath: { path: '/var/run/docker.sock' } });
  if (rnd() < 0.3) spec['initContainers'] = [container(rnd, 'init', i + 3)];
  return spec;
}

function meta(name: string, ns: string, app: string): Obj {
  return { name, namespace: ns, labels: { app, 'app.kubernetes.io/part-of': 'bench', tier: 'backend' }, annotations: { 'bench.kordon.dev/owner': 'team-' + (name.length % 5) } };
}

/** One application: a group of related objects (what one file of a repo usually holds). */
function application(rnd: () => number, ns: string, i: number): Obj[] {
  const app = `app-${i}`;
  const labels = { app };
  const out: Obj[] = [];
  const workload = rnd();
  if (workload < 0.6) {
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(app, ns, app), spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(rnd, app, i) } } });
  } else if (workload < 0.8) {
    out.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta(app, ns, app), spec: { serviceName: app, replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(rnd, app, i) }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }] } });
  } else {
    out.push({ apiVersion: 'v1', kind: 'Pod', metadata: meta(app, ns, app), spec: podSpec(rnd, app, i) });
  }
  out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(app, ns, app), spec: { type: rnd() < 0.1 ? 'LoadBalancer' : 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-config`, ns, app), data: { 'app.properties': `name=${app}\nreplicas=2\n`, LOG_FORMAT: 'json', FEATURE_X: 'true' } });
  out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(app, ns, app) });
  const wildcard = rnd() < 0.1;
  out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(app, ns, app), rules: wildcard ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] : [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }, { apiGroups: [''], resources: ['secrets'], resourceNames: [`db-${i % 7}`], verbs: ['get'] }] });
  out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(app, ns, app), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: app }, subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }] });
  if (rnd() < 0.7) {
    out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(app, ns, app), spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: `app-${i + 1}` } } }], ports: [{ port: 8080, protocol: 'TCP' }] }] } });
  }
  return out;
}

export interface GeneratedSet {
  /** Applications, each a list of objects; the total is exactly `size` objects. */
  apps: Array<{ namespace: string; name: string; objects: Obj[] }>;
}

export function generateSet(size: number, seed = 42): GeneratedSet {
  const rnd = prng(seed);
  const namespaces = Math.max(1, Math.round(size / 500));
  const apps: GeneratedSet['apps'] = [];
  let count = 0;
  for (let i = 0; count < size; i++) {
    const ns = `team-${i % namespaces}`;
    let objects = application(rnd, ns, i);
    if (i < namespaces) objects.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': i % 3 === 0 ? 'privileged' : 'baseline' } } });
    objects = objects.slice(0, size - count);
    count += objects.length;
    apps.push({ namespace: ns, name: `app-${i}`, objects });
  }
  return { apps };
}

function toYaml(objects: Obj[]): string {
  return objects.map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
}

export function writeSet(outDir: string, size: number): { yamlDir: string; multidoc: string; list: string } {
  const set = generateSet(size);
  const yamlDir = path.join(outDir, `yaml-${size}`);
  rmSync(yamlDir, { recursive: true, force: true });
  const all: Obj[] = [];
  const chunks: string[] = [];
  for (const app of set.apps) {
    const dir = path.join(yamlDir, app.namespace);
    mkdirSync(dir, { recursive: true });
    const text = toYaml(app.objects);
    writeFileSync(path.join(dir, `${app.name}.yaml`), text);
    chunks.push(text);
    all.push(...app.objects);
  }
  const multidoc = path.join(outDir, `multidoc-${size}.yaml`);
  writeFileSync(multidoc, chunks.join('---\n'));
  const list = path.join(outDir, `list-${size}.json`);
  // kubectl prints Lists with 4-space indentation
  writeFileSync(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: all }, null, 4) + '\n');
  return { yamlDir, multidoc, list };
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i !== -1 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const out = arg('--out', 'bench/out');
  const sizes = arg('--sizes', '1000,10000,100000').split(',').map(Number);
  mkdirSync(out, { recursive: true });
  for (const n of sizes) {
    const files = writeSet(out, n);
    process.stdout.write(`${n} objects: ${files.yamlDir}/, ${files.multidoc}, ${files.list}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/generate.ts')) main();
