/**
 * Every NetworkPolicy the network fixtures reason about is an object Kubernetes accepts:
 * each is created with server-side dry run (`?dryRun=All`) against the real API server, so
 * validation (peers, ports, endPort, ipBlock CIDRs, policyTypes) and defaulting run on it.
 * AdminNetworkPolicy objects are not checked here (their CRDs are not installed in the harness).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIRS = [path.join(ROOT, 'fixtures/network'), path.join(ROOT, 'fixtures/controls'), path.join(ROOT, 'corpus/graph')];

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      if (dir.endsWith('controls') && !e.startsWith('KOR-03')) continue;
      out.push(...yamlFilesUnder(p));
    } else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out.sort();
}

interface Policy {
  file: string;
  object: { metadata: { name: string; namespace?: string } } & Record<string, unknown>;
}

/** The objects of a YAML file (List items flattened). */
function objectsOf(file: string): Array<Policy['object'] & { kind: string; apiVersion: string }> {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as (Policy['object'] & { kind: string; apiVersion: string; items?: unknown[] }) | null)
    .flatMap((o) => (o && o.kind === 'List' && Array.isArray(o.items) ? (o.items as Array<Policy['object'] & { kind: string; apiVersion: string }>) : o ? [o] : []));
}

const policies: Policy[] = DIRS.flatMap(yamlFilesUnder).flatMap((file) =>
  objectsOf(file)
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((object) => ({ file: path.relative(ROOT, file), object })),
);

/** Where a dry-run create of each kind goes. */
const RESOURCES: Record<string, [string, string, boolean]> = {
  Namespace: ['/api/v1', 'namespaces', false],
  Pod: ['/api/v1', 'pods', true],
  Service: ['/api/v1', 'services', true],
  Secret: ['/api/v1', 'secrets', true],
  ServiceAccount: ['/api/v1', 'serviceaccounts', true],
  Deployment: ['/apis/apps/v1', 'deployments', true],
  StatefulSet: ['/apis/apps/v1', 'statefulsets', true],
  DaemonSet: ['/apis/apps/v1', 'daemonsets', true],
  ReplicaSet: ['/apis/apps/v1', 'replicasets', true],
  Job: ['/apis/batch/v1', 'jobs', true],
  CronJob: ['/apis/batch/v1', 'cronjobs', true],
  NetworkPolicy: ['/apis/networking.k8s.io/v1', 'networkpolicies', true],
  Ingress: ['/apis/networking.k8s.io/v1', 'ingresses', true],
  Role: ['/apis/rbac.authorization.k8s.io/v1', 'roles', true],
  RoleBinding: ['/apis/rbac.authorization.k8s.io/v1', 'rolebindings', true],
  ClusterRole: ['/apis/rbac.authorization.k8s.io/v1', 'clusterroles', false],
  ClusterRoleBinding: ['/apis/rbac.authorization.k8s.io/v1', 'clusterrolebindings', false],
};

function dryRunPath(o: { kind: string; metadata: { namespace?: string } }): string {
  const [prefix, plural, namespaced] = RESOURCES[o.kind]!;
  return `${prefix}${namespaced ? `/namespaces/${o.metadata.namespace ?? 'default'}` : ''}/${plural}?dryRun=All`;
}

// The attack-path corpora (test/corpus/graph) are objects Kubernetes accepts; the objects of
// test/fixtures/graph/bad-fields/bad.yaml are ones it rejects (the network analysis leaves them
// out and names them), and those of good.yaml it accepts.
const corpusObjects = yamlFilesUnder(path.join(ROOT, 'corpus/graph')).flatMap((file) => objectsOf(file).map((object) => ({ file: path.relative(ROOT, file), object })));
const badFields = path.join(ROOT, 'fixtures/graph/bad-fields');
const good = objectsOf(path.join(badFields, 'good.yaml')).map((object) => ({ file: 'fixtures/graph/bad-fields/good.yaml', object }));
const bad = objectsOf(path.join(badFields, 'bad.yaml')).map((object) => ({ file: 'fixtures/graph/bad-fields/bad.yaml', object }));

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};

describe('fixture NetworkPolicies are valid for the API server', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    const namespaces = [...new Set([...policies, ...corpusObjects, ...good, ...bad].map((p) => p.object.metadata.namespace ?? 'default'))].filter((n) => n !== 'default' && n !== 'kube-system');
    for (const name of namespaces) {
      const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      assert.ok(r.status === 201 || r.status === 409, `namespace ${name}: ${r.status} ${r.text}`);
    }
  });
  after(async () => release());

  it('finds policies to check', () => assert.ok(policies.length >= 30, `only ${policies.length} policies found`));

  it('the corpus objects and the well-formed objects beside the bad ones are accepted', async () => {
    for (const p of [...corpusObjects, ...good]) {
      if (p.object.kind === 'Namespace') continue; // created above
      assert.ok(RESOURCES[p.object.kind], `${p.file}: no resource path for ${p.object.kind}`);
      const r = await apiRequest(cp, 'admin', 'POST', dryRunPath(p.object), p.object);
      assert.equal(r.status, 201, `${p.file} ${p.object.kind} ${p.object.metadata.name}: ${r.text}`);
    }
  });

  it('every object with a wrongly-typed field is rejected', async () => {
    assert.equal(bad.length, 8);
    for (const p of bad) {
      const r = await apiRequest(cp, 'admin', 'POST', dryRunPath(p.object), p.object);
      assert.ok(r.status === 400 || r.status === 422, `${p.file} ${p.object.kind} ${p.object.metadata.name}: ${r.status} ${r.text}`);
    }
  });

  for (const p of policies) {
    it(`${p.file}: ${p.object.metadata.name}`, async () => {
      const ns = p.object.metadata.namespace ?? 'default';
      const r = await apiRequest(cp, 'admin', 'POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies?dryRun=All`, p.object);
      assert.equal(r.status, 201, `${p.file} ${p.object.metadata.name}: ${r.text}`);
    });
  }
});
