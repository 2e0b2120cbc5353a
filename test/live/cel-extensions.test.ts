/**
 * The cel-go extensions kordon's engine adds (two-variable comprehensions, optMap/optFlatMap/
 * ofNonZeroValue, the lists extension, format verbs, conversions) against the real
 * kube-apiserver: every expression is a ValidatingAdmissionPolicy; the server's verdict on
 * creating it (compiles or not) must equal kordon's, and for the ones that compile, pods sent as
 * server-side dry-run creates through Warn bindings must fail exactly the policies `kordon vap`
 * says they fail (every policy's result compared, not only the first denial).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { vapDryRun } from '../../src/vap/dry-run.js';
import { setTargetKubernetesVersion } from '../../src/rbac/builtins.js';

const RUN = randomBytes(3).toString('hex');
const NS = `cel-ext-${RUN}`;
const VAPS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

/** Expressions that compile on the server (and must in kordon), each a policy of its own. */
const VALID: Record<string, string> = {
  'all-iv': "object.spec.containers.all(i, c, i < 5 && c.name != '')",
  'exists-iv': "object.spec.containers.exists(i, c, c.image.startsWith('registry.example.com/'))",
  'exists-one-iv': "object.spec.containers.existsOne(i, c, c.name == 'app')",
  'transform-map': 'object.metadata.labels.transformMap(k, v, v.size()).all(k, n, n < 10)',
  'transform-list': 'object.spec.containers.transformList(i, c, c.name).distinct().size() == size(object.spec.containers)',
  'transform-list-filter': "object.spec.containers.transformList(i, c, i > 0, c.name).all(n, n != 'bad')",
  'transform-entry': 'object.metadata.labels.transformMapEntry(k, v, {v: k}).size() == object.metadata.labels.size()',
  'opt-map': "object.metadata.?labels[?'team'].optMap(t, t.upperAscii()).orValue('') == 'SHOP'",
  'opt-flat-map': "object.metadata.?annotations.optFlatMap(a, a[?'owner']).hasValue()",
  'non-zero': "optional.ofNonZeroValue(object.metadata.?labels[?'tier'].orValue('')).hasValue()",
  'sorted-names': 'object.spec.containers.map(c, c.name).sort() == object.spec.containers.map(c, c.name)',
  'range-index': "lists.range(size(object.spec.containers)).all(i, object.spec.containers[i].name != 'bad')",
  'sort-by-first': "object.spec.containers.sortBy(c, c.name).first().value().name == 'app'",
  'slice-last': 'object.spec.containers.slice(0, 1).reverse().last().hasValue()',
  'format-verbs': "'%s/%d/%x/%b'.format([object.metadata.name, size(object.spec.containers), 255, true]).size() < 40",
  'string-duration': "string(duration('90m')) == '5400s'",
  'runtime-int-double': 'size(object.spec.containers) * 1 == dyn(2.0)',
  // optional entries in list and map literals, has() on a map literal, format()'s exemption from homogeneous literals
  'opt-list-entries': "[?object.metadata.?annotations[?'owner'], ?object.metadata.?labels[?'team']].size() == 2",
  'opt-map-entries': "{?'owner': object.metadata.?annotations[?'owner'], 'team': object.metadata.labels.team}.size() == 2",
  'has-map-literal': "!has({'l': object.metadata.labels}.l.size) && !has({'x': 1}.y)",
  'authz-selectors': "authorizer.group('').resource('pods').fieldSelector('spec.nodeName=n1').labelSelector('app=web').check('list').allowed() || true",
  'format-mixed': "'%s has %d containers'.format([object.metadata.name, size(object.spec.containers)]).size() < 22",
};

/** Expressions both must refuse. */
const INVALID: Record<string, string> = {
  'literal-mixed-eq': '1.0 == 1',
  'literal-mixed-list': '[1] == [1.0]',
  'non-bool-predicate': '[1, 2].exists(i, v, v + 1)',
  'same-variables': '[1, 2].all(v, v, v > 0)',
  'sort-arity': 'object.spec.containers.sort(1) == []',
  // homogeneous literals (cel.HomogeneousAggregateLiterals); an entry that is not optional
  'mixed-list': '[object.metadata.name, 1].size() == 2',
  'mixed-map': "{'a': 1, 'b': 'c'}.size() == 2",
  'dyn-and-int': "[object.metadata.labels.team, 'x'].size() == 2",
  // Kubernetes 1.37's lists library (includes) is not in the 1.35 environment (kordon's default target)
  'includes-1.37': 'object.spec.containers.map(c, c.name).includes("app")',
  // the API server's environment has no bindings extension
  'cel-bind': 'cel.bind(n, object.metadata.name, n.size() > 0 && n.size() < 64)',
};

const policy = (name: string, expression: string): K8sObject =>
  ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: `cel-${name}-${RUN}` },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { namespaceSelector: { matchLabels: { 'kordon-cel-ext': RUN } }, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      validations: [{ expression, message: `${name} failed` }],
    },
  }) as K8sObject;
const binding = (name: string): K8sObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `cel-${name}-${RUN}` }, spec: { policyName: `cel-${name}-${RUN}`, validationActions: ['Warn'] } }) as K8sObject;
const pod = (name: string, labels: Record<string, string>, annotations: Record<string, string> | undefined, names: string[], image = 'registry.example.com/app:1'): K8sObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels, ...(annotations ? { annotations } : {}) }, spec: { containers: names.map((n) => ({ name: n, image })) } }) as K8sObject;

const PODS = [
  pod('good', { team: 'shop', tier: 'web' }, { owner: 'ann' }, ['app', 'side']),
  pod('bad', { team: 'other', tier: '', size: 'xxxxxxxxxxxx' }, undefined, ['zed', 'bad', 'app'], 'docker.io/library/busybox:1'),
  pod('lonely', { team: 'shop', tier: 'web' }, { owner: 'ann' }, ['solo']),
];

function inventory(objects: K8sObject[]): Inventory {
  return new Inventory(objects.map((object, i) => ({ object: JSON.parse(JSON.stringify(object)) as K8sObject, origin: { source: 'cel-ext.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
}

describe('cel-go extensions agree with the kube-apiserver', () => {
  let cp: ControlPlaneInfo;
  let release: () => Promise<void>;
  const made: string[] = [];

  before(async () => {
    ({ cp, release } = await acquireControlPlane());
    const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'kordon-cel-ext': RUN } } });
    assert.ok(r.status < 300, r.text);
    made.push(`/api/v1/namespaces/${NS}`);
  });
  after(async () => {
    for (const p of made.reverse()) await apiRequest(cp, 'admin', 'DELETE', p).catch(() => undefined);
    await release?.();
  });

  it('compiles exactly the expressions the server accepts', async () => {
    const all = { ...VALID, ...INVALID };
    // compiled for the server's own version, as `--kube-version` of the cluster would
    const inv = inventory(Object.entries(all).map(([n, e]) => policy(n, e)));
    setTargetKubernetesVersion(inv, cp.kubernetesVersion);
    const report = vapDryRun(inv, { objects: [] });
    const mismatches: string[] = [];
    for (const [name, expression] of Object.entries(all)) {
      const kordonOk = !report.problems.some((p) => p.message.includes(`"cel-${name}-${RUN}"`) && p.message.includes('does not compile'));
      const r = await apiRequest(cp, 'admin', 'POST', `${VAPS}?dryRun=All`, policy(name, expression));
      const serverOk = r.status === 201;
      if (r.status !== 201 && r.status !== 422) throw new Error(`${name}: ${r.status} ${r.text.slice(0, 300)}`);
      if (kordonOk !== serverOk) mismatches.push(`${name}: server ${serverOk ? 'compiles' : `refuses (${String(r.body?.message).slice(0, 200)})`}, kordon ${kordonOk ? 'compiles' : 'refuses'}`);
      if (serverOk !== name in VALID) mismatches.push(`${name}: the server ${serverOk ? 'accepts' : 'refuses'} it, the test expected otherwise`);
      if (name === 'cel-bind') {
        // both name the same cause: the undeclared `cel` namespace
        const mine = report.problems.find((p) => p.message.includes(`"cel-${name}-${RUN}"`))?.message ?? '';
        for (const m of [String(r.body?.message), mine]) if (!m.includes("undeclared reference to 'cel'")) mismatches.push(`cel-bind: ${m.slice(0, 200)}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('every policy fails on the same pods on the server and in kordon', async (t) => {
    for (const [name, expression] of Object.entries(VALID)) {
      const r = await apiRequest(cp, 'admin', 'POST', VAPS, policy(name, expression));
      assert.equal(r.status, 201, r.text.slice(0, 300));
      made.push(`${VAPS}/cel-${name}-${RUN}`);
      const b = await apiRequest(cp, 'admin', 'POST', BINDINGS, binding(name));
      assert.equal(b.status, 201, b.text.slice(0, 300));
      made.push(`${BINDINGS}/cel-${name}-${RUN}`);
    }
    const objects: K8sObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'kordon-cel-ext': RUN } } } as K8sObject, ...Object.entries(VALID).flatMap(([n, e]) => [policy(n, e), binding(n)]), ...PODS];
    const inv = inventory(objects);
    const candidates = inv.objects.slice(objects.length - PODS.length);
    const report = vapDryRun(inv, { dryRun: true, objects: candidates });
    assert.deepEqual(report.problems.map((p) => p.message), []);
    const failedPolicies = (warnings: string[]): string[] =>
      warnings
        .map((w) => /Validation failed for ValidatingAdmissionPolicy 'cel-(.*?)-[0-9a-f]{6}' with binding/.exec(w)?.[1])
        .filter((x): x is string => !!x)
        .sort();
    // the policies become active through the server's informer: wait until the bad pod warns for all of them that kordon says fail
    const kordonFails = (i: number): string[] =>
      report.results
        .filter((r) => r.object.line === objects.length - PODS.length + i + 1 && r.violations.length > 0)
        .map((r) => /^cel-(.*)-[0-9a-f]{6}$/.exec(r.policy)![1]!)
        .sort();
    const serverFails = async (o: K8sObject): Promise<string[]> => {
      const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, o);
      assert.equal(r.status, 201, r.text.slice(0, 300));
      const warn = r.headers['warning'];
      const list = (Array.isArray(warn) ? warn : warn ? [warn] : []).flatMap((w) => w.split(/,\s*(?=299 )/));
      return failedPolicies(list);
    };
    const deadline = Date.now() + 60_000;
    while ((await serverFails(PODS[1]!)).length < kordonFails(1).length) {
      assert.ok(Date.now() < deadline, 'the policies never became active');
      await new Promise((res) => setTimeout(res, 250));
    }
    await new Promise((res) => setTimeout(res, 1000));
    const lines: string[] = [];
    for (const [i, o] of PODS.entries()) {
      const s = await serverFails(o);
      const k = kordonFails(i);
      lines.push(`${o.metadata.name}: server [${s.join(', ')}] kordon [${k.join(', ')}]`);
      assert.deepEqual(k, s, lines.join('\n'));
    }
    t.diagnostic(lines.join('\n'));
    // the pods exercise both outcomes of most policies
    const failedSomewhere = new Set(PODS.flatMap((_, i) => kordonFails(i)));
    assert.ok(failedSomewhere.size >= 10, `only ${failedSomewhere.size} policies fail on some pod:\n${lines.join('\n')}`);
    assert.deepEqual(kordonFails(0), [], 'the good pod passes every policy');
  });
});
