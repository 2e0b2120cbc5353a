/**
 * One bad object must not blind the network analysis (issue 13, "never lie"): objects with
 * wrongly-typed fields (test/fixtures/graph/bad-fields/bad.yaml) are left out of what they
 * break and named by source and line; the well-formed objects beside them (good.yaml) are
 * still judged by the network controls, `netpol reach` and `paths`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Inventory } from '../../src/inventory/inventory.js';
import { loadManifests } from '../../src/sources/manifests/load.js';
import { runControls } from '../../src/engine/run.js';
import { networkControls } from '../../src/controls/network.js';
import { ReachabilityEngine, formatConnections } from '../../src/network/reach.js';
import { computeExposure } from '../../src/network/exposure.js';
import { buildSecurityGraph } from '../../src/graph/build.js';
import { findAttackPaths } from '../../src/graph/paths.js';
import { GRAPH_FIXTURES, runCli } from './graph-support.js';

const dir = path.join(GRAPH_FIXTURES, 'bad-fields');

async function load(files: string[]): Promise<Inventory> {
  const loaded = await loadManifests(files.map((f) => path.join(dir, f)));
  return new Inventory(loaded.objects, loaded.problems, loaded.locator);
}

/**
 * The network analysis on its own: the objects exactly as written, whatever checks the
 * inventory makes where objects enter it (a field nobody foresaw there must not blind the
 * network analysis either), so each object is put back as read after the inventory is built.
 */
async function loadRaw(files: string[]): Promise<Inventory> {
  const loaded = await loadManifests(files.map((f) => path.join(dir, f)));
  const raw = new Map(loaded.objects.map((e) => [`${e.origin.source}#${e.origin.documentIndex}`, structuredClone(e.object)]));
  const inv = new Inventory(loaded.objects, loaded.problems, loaded.locator);
  for (const item of inv.objects) (item as { object: unknown }).object = raw.get(`${item.origin.source}#${item.origin.documentIndex}`) ?? item.object;
  return inv;
}

/** Line ranges of the documents of bad.yaml, by object name. */
function documentLines(): Map<string, [number, number]> {
  const lines = readFileSync(path.join(dir, 'bad.yaml'), 'utf8').split('\n');
  const out = new Map<string, [number, number]>();
  let start = 1;
  let name: string | undefined;
  lines.forEach((l, i) => {
    const m = /^  name: (\S+)/.exec(l);
    if (m && !name) name = m[1];
    if (l === '---' || i === lines.length - 1) {
      if (name) out.set(name, [start, i + 1]);
      start = i + 2;
      name = undefined;
    }
  });
  return out;
}

const EXPECTED_BAD = [
  ['bad.yaml', 12, 'Pod shop/ports-object: /spec/containers/0/ports is an object, not a list'],
  ['bad.yaml', 30, 'Deployment shop/volumes-string: /spec/template/spec/containers/0/env is a string, not a list; /spec/template/spec/volumes is a string, not a list'],
  ['bad.yaml', 44, 'Pod shop/labels-list: /spec/containers/0/ports/0/containerPort is a string, not a whole number; /metadata/labels is a list, not a map of strings'],
  ['bad.yaml', 54, 'Service shop/ports-map: /spec/ports is an object, not a list'],
  ['bad.yaml', 63, 'Service shop/selector-string: /spec/selector is a string, not a map of strings'],
  ['bad.yaml', 73, 'NetworkPolicy shop/podselector-string: /spec/podSelector is a string, not an object'],
  ['bad.yaml', 86, 'NetworkPolicy shop/ipblock-list: /spec/egress/0/to/0/ipBlock is a list, not an object'],
  ['bad.yaml', 100, 'NetworkPolicy shop/ports-number: /spec/ingress/0/from/0/namespaceSelector/matchExpressions/0/values is a string, not a list; /spec/ingress/0/ports is a number, not a list'],
] as const;

function invalidFields(inv: Inventory): Array<[string, number | undefined, string]> {
  return inv.problems
    // the network analysis's own problems (the inventory's door reports the same fields in its words: "… should be …")
    .filter((p) => p.code === 'wrong-type' && !/ should be /.test(p.message))
    .map((p): [string, number | undefined, string] => [path.basename(p.source), p.line, p.message.replace(/; left out of .*$/, '')])
    .sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0));
}

describe('wrongly-typed fields in network objects', () => {
  it('the network analysis leaves each bad object out, named by source and the line of its first bad field', async () => {
    const inv = await loadRaw(['good.yaml', 'bad.yaml']);
    const both = runControls(inv, networkControls);
    assert.deepEqual(both.problems, [], 'no control fails on the inventory');
    // NetworkPolicies with a bad field are left out whole at the inventory's door (read without
    // the field they would select or allow other traffic): the network analysis never sees them
    assert.deepEqual(invalidFields(inv), EXPECTED_BAD.filter((x) => !x[2].startsWith('NetworkPolicy')).map((x) => [...x]));
    const leftOut = inv.problems.filter((p) => / the NetworkPolicy was left out /.test(p.message)).map((p) => p.message.split(':')[0]);
    assert.deepEqual([...new Set(leftOut)].sort(), ['NetworkPolicy shop/ipblock-list', 'NetworkPolicy shop/podselector-string', 'NetworkPolicy shop/ports-number']);
    assert.deepEqual(inv.byKind('NetworkPolicy').filter((i) => /ipblock-list|podselector-string|ports-number/.test(i.id)), []);
    for (const f of both.findings) assert.ok(!/ports-object|volumes-string|labels-list|ports-map|selector-string|podselector-string|ipblock-list|ports-number/.test(f.object?.id ?? ''), `no finding on a left-out object: ${f.controlId} ${f.object?.id}`);
    assert.equal(formatConnections(new ReachabilityEngine(inv).connections()), formatConnections(new ReachabilityEngine(await load(['good.yaml'])).connections()));
  });

  it('the network controls judge every other object, and each bad one is named by source and a line inside it', async () => {
    const good = runControls(await load(['good.yaml']), networkControls);
    const inv = await load(['good.yaml', 'bad.yaml']);
    const both = runControls(inv, networkControls);
    const ranges = documentLines();
    assert.equal(ranges.size, 8);
    for (const [name, [from, to]] of ranges) {
      const named = inv.problems.filter((p) => p.severity === 'error' && path.basename(p.source) === 'bad.yaml' && p.message.includes(`shop/${name}`));
      assert.ok(named.length > 0, `${name} is named`);
      for (const p of named) assert.ok(p.line !== undefined && p.line >= from && p.line <= to, `${name}: line ${p.line} in ${from}-${to}`);
    }
    assert.deepEqual(both.problems, [], 'no control fails on the inventory');
    // the findings on the good objects are the same as without the bad ones
    const key = (f: { controlId: string; object?: { id: string }; pointer: string }): string => `${f.controlId} ${f.object?.id} ${f.pointer}`;
    const goodKeys = good.findings.map(key);
    assert.ok(goodKeys.length >= 3, 'the good objects have network findings');
    const bothKeys = new Set(both.findings.map(key));
    for (const k of goodKeys) assert.ok(bothKeys.has(k), `still reported: ${k}`);
  });

  it('reachability and exposure of the good objects stand', async () => {
    const goodOnly = await load(['good.yaml']);
    const inv = await load(['good.yaml', 'bad.yaml']);
    const lines = new Set(formatConnections(new ReachabilityEngine(inv).connections()).split('\n'));
    assert.ok(lines.has('shop/web[Deployment] => shop/db[Deployment] : TCP 5432'));
    const exposed = computeExposure(inv).map((e) => e.workload.display);
    for (const d of computeExposure(goodOnly).map((e) => e.workload.display)) assert.ok(exposed.includes(d), d);
  });

  it('attack paths still run from the good exposure', async () => {
    const inv = await load(['good.yaml', 'bad.yaml']);
    const r = findAttackPaths(buildSecurityGraph(inv));
    assert.ok(r.paths.some((p) => p.steps.some((s) => s.target === 'Deployment shop/web') && p.category === 'node'));
    // a problem is reported once, however many analyses read the object
    const messages = inv.problems.map((p) => p.message);
    assert.equal(new Set(messages).size, messages.length);
  });

  it('the CLI names the bad objects and exits 3 (netpol reach), paths still answers', async () => {
    const reach = await runCli(['netpol', 'reach', dir]);
    assert.equal(reach.code, 3);
    assert.match(reach.stdout, /shop\/web\[Deployment\] => shop\/db\[Deployment\] : TCP 5432/);
    // named in the answer itself (computed from partial input)
    assert.match(reach.stdout + reach.stderr, /bad\.yaml:\d+: (error: )?Pod shop\/ports-object: /);
    const paths = await runCli(['paths', dir]);
    assert.match(paths.stdout, /Service shop\/web → Deployment shop\/web/);
    assert.match(paths.stdout + paths.stderr, /bad\.yaml:\d+: (error: )?NetworkPolicy shop\/podselector-string/);
  });
});

/** Every field of a small cluster replaced in turn by a value of a wrong type: no analysis throws. */
describe('wrong-type sweep', () => {
  const BASE: any[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', labels: { team: 'a' } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'app', labels: { app: 'web' } }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', hostPID: true, automountServiceAccountToken: true, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }] } } }, securityContext: { runAsUser: 0, windowsOptions: { hostProcess: false } }, nodeSelector: { a: 'b' }, tolerations: [{ key: 'k', operator: 'Exists' }], volumes: [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }, { name: 's', secret: { secretName: 'x' } }, { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }, { secret: { name: 'y' } }] } }], initContainers: [{ name: 'i', image: 'busybox', securityContext: { privileged: true } }], containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 8080 }], volumeMounts: [{ name: 'h', mountPath: '/s' }], env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }], envFrom: [{ secretRef: { name: 'z' } }], securityContext: { privileged: false, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE'], drop: ['NET_RAW'] } } }] } } } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { pool: 'a', 'node-role.kubernetes.io/control-plane': '' } }, spec: { providerID: 'aws://x', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'irsa', namespace: 'app', annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' } }, automountServiceAccountToken: true },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tok', namespace: 'app', annotations: { 'kubernetes.io/service-account.name': 'web' } }, type: 'kubernetes.io/service-account-token' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'app' }, rules: [{ apiGroups: [''], resources: ['secrets', 'pods/exec'], verbs: ['get', 'create'], resourceNames: ['x'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'app' }, roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'Group', name: 'g' }] },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'app' }, spec: { listeners: [{ name: 'l', protocol: 'HTTPS', port: 443, allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'a' } } }, kinds: [{ kind: 'HTTPRoute' }] } }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'rt', namespace: 'app' }, spec: { hostnames: ['a'], parentRefs: [{ name: 'gw', sectionName: 'l' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } },
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'anp' }, spec: { priority: 5, subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'db' } } } }, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: {} } }], ports: [{ portNumber: { port: 80, protocol: 'TCP' } }, { namedPort: 'http' }] }], egress: [{ action: 'Allow', to: [{ networks: ['10.0.0.0/8'] }] }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'app', labels: { app: 'db' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'pg', ports: [{ containerPort: 5432 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'app' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, externalIPs: ['1.2.3.4'], ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'app' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 5432, protocol: 'TCP', endPort: 5440 }] }], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing', namespace: 'app' }, spec: { tls: [{ hosts: ['a'] }], defaultBackend: { service: { name: 'web', port: { number: 80 } } }, rules: [{ host: 'a', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'app' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }] },
  ];
  const BAD: unknown[] = [{}, 'x', [1]];
  const fieldPaths = (o: unknown, p: string[] = []): string[][] => {
    const out: string[][] = [];
    if (o && typeof o === 'object') for (const k of Object.keys(o)) out.push([...p, k], ...fieldPaths((o as Record<string, unknown>)[k], [...p, k]));
    return out;
  };
  it('network controls, reachability, exposure and attack paths never fail', () => {
    let runs = 0;
    for (let i = 0; i < BASE.length; i++) {
      for (const p of fieldPaths(BASE[i])) {
        // kind, apiVersion, metadata, name and namespace are checked where objects are read
        if (p[0] === 'kind' || p[0] === 'apiVersion' || (p[0] === 'metadata' && (p.length === 1 || (p.length === 2 && (p[1] === 'name' || p[1] === 'namespace'))))) continue;
        // one wrong type per field, taken in turn (every type is used across the fields)
        for (const bad of [BAD[runs % BAD.length]]) {
          const objects = structuredClone(BASE);
          let t = objects[i];
          for (const k of p.slice(0, -1)) t = t[k];
          t[p[p.length - 1]!] = structuredClone(bad);
          const inv = new Inventory(objects.map((object: any, j: number) => ({ object: structuredClone(object), origin: { source: `f${j}.yaml`, line: j + 1, column: 1 } as any })));
          // the objects as written, whatever the inventory checks where they enter it (see loadRaw)
          for (const item of inv.objects) (item as { object: unknown }).object = objects[Number(/^f(\d+)\.yaml$/.exec(item.origin.source)![1])];
          const where = `${objects[i].kind} ${p.join('.')} = ${JSON.stringify(bad)}`;
          assert.deepEqual(runControls(inv, networkControls).problems, [], where);
          assert.doesNotThrow(() => new ReachabilityEngine(inv).connections(), where);
          assert.doesNotThrow(() => computeExposure(inv), where);
          assert.doesNotThrow(() => findAttackPaths(buildSecurityGraph(inv), { max: 5 }), where);
          runs++;
        }
      }
    }
    assert.ok(runs > 250);
  });
});
