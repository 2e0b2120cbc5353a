/**
 * `kordon vap` on a repository-shaped corpus (test/corpus/vap/shop: platform policies with
 * params, namespace-less manifests deployed with --default-namespace, a custom resource without
 * its CRD, broken policies), and the dispatcher's rules one by one on small inputs. The real
 * API server decides the same cases in test/live/vap-oracle.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';
import { inventoryOf } from '../../src/scan.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { vapDryRun, type VapResult } from '../../src/vap/dry-run.js';

const CORPUS = 'test/corpus/vap/shop';

function inv(yaml: string) {
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject).filter(Boolean);
  return inventoryOf(docs.map((object, i) => ({ object, origin: { source: 'in.yaml', documentIndex: i, itemPointer: '', line: i + 1, column: 1 } })));
}

function decisions(results: VapResult[]): string[] {
  return results.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.policy}/${r.binding}: ${r.allowed ? 'allowed' : 'denied'}${r.violations.map((v) => ` | ${v.message}${v.ignored ? ' (ignored)' : ''}`).join('')}`);
}

const policy = (name: string, spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}}
spec:
${spec}
---
`;
const binding = (name: string, spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}}
spec:
${spec}
---
`;
const podRules = `  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}`;

describe('kordon vap on a repository', () => {
  test('every decision, with messages, reasons, Warn and Audit, params and variables', async () => {
    const { code, out } = await runCli(['vap', CORPUS, '--default-namespace', 'shop', '--format', 'json']);
    assert.equal(code, 1, 'denials exit 1');
    const report = JSON.parse(out) as { policies: number; bindings: number; objects: number; results: VapResult[]; partial: boolean; problems: Array<{ source: string; line?: number; severity: string; message: string }> };
    assert.equal(report.policies, 6);
    assert.equal(report.bindings, 7);
    assert.equal(report.objects, 5, 'the namespace, two deployments, a pod and a service (the custom resource has no CRD)');
    assert.deepEqual(decisions(report.results), [
      'Deployment shop/storefront owner-label/owner-label-warn: allowed',
      'Deployment shop/storefront replica-limit/replica-limit: allowed',
      'Deployment shop/storefront trusted-registry/trusted-registry: allowed',
      'Deployment shop/search owner-label/owner-label-warn: allowed | every object needs an owner label',
      'Deployment shop/search replica-limit/replica-limit: denied | search wants 6 replicas, the limit is 4',
      'Deployment shop/search trusted-registry/trusted-registry: denied | images must come from registry.example.com',
      'Pod shop/debug-shell owner-label/owner-label-warn: allowed',
      "Service shop/storefront expensive/expensive: allowed | expression '[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, [0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9].all(d, [0,1,2,3,4,5,6,7,8,9].all(e, [0,1,2,3,4,5,6,7,8,9].all(f, a + b + c + d + e + f >= 0))))))' resulted in error: operation cancelled: actual cost limit exceeded (ignored)",
      'Service shop/storefront owner-label/owner-label-warn: allowed',
      'Service shop/storefront quota-params/quota-params: denied | failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction',
      "Service shop/storefront typo/typo: denied | compilation failed: line 1, column 38: Unexpected token: EOF",
    ]);
    const search = report.results.find((r) => r.object.name === 'search' && r.policy === 'replica-limit')!;
    assert.deepEqual(search.object, { kind: 'Deployment', namespace: 'shop', name: 'search', file: 'test/corpus/vap/shop/apps/shop.yaml', line: 23 });
    assert.equal(search.violations[0]!.reason, 'Forbidden');
    assert.deepEqual(search.validationActions, ['Deny']);
    const audit = report.results.find((r) => r.object.name === 'search' && r.policy === 'trusted-registry')!;
    assert.deepEqual(audit.auditAnnotations, { 'trusted-registry/images': ['docker.io/library/elasticsearch:8.13.0'] });
    // the shape the issue asks for
    for (const r of report.results) {
      assert.deepEqual(Object.keys(r.object), ['kind', 'namespace', 'name', 'file', 'line']);
      for (const v of r.violations) assert.ok(typeof v.validation === 'string' && typeof v.message === 'string' && typeof v.reason === 'string');
    }
    // bad input: each a clear problem naming the policy (or binding) and the expression
    const problems = report.problems.map((p) => `${p.source}:${p.line} ${p.severity}: ${p.message}`);
    const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `no problem matching ${re}:\n${problems.join('\n')}`);
    has(/broken\.yaml:2 error: ValidatingAdmissionPolicy "typo": validations\[0\] does not compile: line 1, column 38: Unexpected token: EOF \(expression: "object\.spec\.type != 'LoadBalancer' &&"\)/);
    has(/broken\.yaml:25 warning: ValidatingAdmissionPolicy "expensive": an expression exceeded the runtime cost limit .*failurePolicy Ignore decides.*\[0,1,2/);
    has(/broken\.yaml:65 warning: ValidatingAdmissionPolicyBinding "quota-params" \(policy "quota-params"\): paramRef ConfigMap "service-quota": no params found/);
    has(/broken\.yaml:76 warning: ValidatingAdmissionPolicyBinding "orphan" binds ValidatingAdmissionPolicy "not-in-the-input", which is not in the input/);
    has(/shop\.yaml:58 warning: ServiceMonitor \(monitoring\.example\.com\/v1\) is not a known kind/);
    assert.equal(report.partial, true, 'a policy that does not compile makes the answer partial');
  });

  test('the JSON is byte-identical from run to run, and the pretty report says each decision once', async () => {
    const a = await runCli(['vap', CORPUS, '--default-namespace', 'shop', '--format', 'json']);
    const b = await runCli(['vap', CORPUS, '--default-namespace', 'shop', '--format', 'json']);
    assert.equal(a.out, b.out);
    const pretty = await runCli(['vap', CORPUS, '--default-namespace', 'shop']);
    assert.match(pretty.out, /^DENIED {2}Deployment shop\/search {2}\(test\/corpus\/vap\/shop\/apps\/shop\.yaml:23\) {2}policy replica-limit, binding replica-limit \[Deny\]\n {4}- search wants 6 replicas, the limit is 4 {2}\[Forbidden\]$/m);
    assert.match(pretty.out, /^WARNED {2}Deployment shop\/search .*owner-label-warn \[Warn\]$/m);
    assert.match(pretty.out, /^11 policy decisions: 4 denied, 1 allowed with violations \(Warn\/Audit\)$/m);
    assert.equal(pretty.out.split('search wants 6 replicas').length, 2, 'said once');
  });

  test('unparsable policies and wrong shapes are problems; everything else is still evaluated', () => {
    const text = `${policy('ok', `${podRules}\n  validations:\n    - expression: "object.metadata.name != 'bad'"`)}${binding('ok', '  policyName: ok\n  validationActions: [Deny]')}${policy('shapeless', '  matchConstraints: "pods"\n  validations: "all of them"')}${binding('shapeless', '  policyName: shapeless\n  validationActions: [Deny]')}apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: x}
spec: {containers: [{name: a, image: a}]}
`;
    const r = vapDryRun(inv(text));
    assert.deepEqual(decisions(r.results), ['Pod x/bad ok/ok: denied | failed expression: object.metadata.name != \'bad\'']);
    assert.ok(r.problems.some((p) => /ValidatingAdmissionPolicy "shapeless": no spec\.matchConstraints/.test(p.message)), JSON.stringify(r.problems));
  });
});

describe('the dispatcher, rule by rule', () => {
  const pod = (name: string, ns: string, labels = '{}') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: ${labels}}\nspec: {containers: [{name: a, image: a}]}\n---\n`;

  test('matchPolicy: Exact needs the listed version, Equivalent (the default) does not', () => {
    const rules = (mp: string) => `  matchConstraints:\n    matchPolicy: ${mp}\n    resourceRules:\n      - {apiGroups: ["apps"], apiVersions: ["v1beta1"], operations: ["CREATE"], resources: ["deployments"]}\n  validations:\n    - expression: "false"\n      message: no`;
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\nspec: {replicas: 1, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: a, image: a}]}}}\n---\n';
    const r = vapDryRun(inv(policy('exact', rules('Exact')) + binding('exact', '  policyName: exact\n  validationActions: [Deny]') + policy('equiv', rules('Equivalent')) + binding('equiv', '  policyName: equiv\n  validationActions: [Deny]') + dep));
    assert.deepEqual(decisions(r.results), ['Deployment n/d equiv/equiv: denied | no']);
  });

  test('namespace selectors see the namespace labels (and a Namespace its own); object selectors and excluded rules', () => {
    const text =
      policy('prod-only', `  matchConstraints:\n    namespaceSelector: {matchLabels: {env: prod}}\n    objectSelector: {matchExpressions: [{key: skip, operator: DoesNotExist}]}\n    resourceRules:\n      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods", "namespaces"]}\n    excludeResourceRules:\n      - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"], resourceNames: ["exempt"]}\n  validations:\n    - expression: "false"\n      message: prod says no`) +
      binding('prod-only', '  policyName: prod-only\n  validationActions: [Deny]') +
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: live, labels: {env: prod}}\n---\n' +
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: test, labels: {env: test}}\n---\n' +
      pod('a', 'live') + pod('b', 'test') + pod('c', 'live', '{skip: "yes"}') + pod('exempt', 'live') + pod('d', 'unknown-ns');
    const r = vapDryRun(inv(text));
    assert.deepEqual(decisions(r.results), ['Namespace /live prod-only/prod-only: denied | prod says no', 'Pod live/a prod-only/prod-only: denied | prod says no']);
  });

  test('params: cluster-scoped and namespaced, by name or selector (each param evaluated), not found Allow/Deny, and scope errors', () => {
    const cmPolicy = policy('max-containers', `  paramKind: {apiVersion: v1, kind: ConfigMap}\n${podRules}\n  validations:\n    - expression: "size(object.spec.containers) <= int(params.data.max)"\n      messageExpression: "'at most ' + params.data.max + ' (' + params.metadata.name + ')'"`);
    const text =
      cmPolicy +
      binding('by-selector', '  policyName: max-containers\n  validationActions: [Deny]\n  paramRef:\n    selector: {matchLabels: {kind: limit}}\n    parameterNotFoundAction: Allow') +
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: a, labels: {kind: limit}}\ndata: {max: "1"}\n---\n' +
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two, namespace: a, labels: {kind: limit}}\ndata: {max: "2"}\n---\n' +
      pod('p', 'a') +
      pod('q', 'b') +
      'apiVersion: v1\nkind: Pod\nmetadata: {name: r, namespace: a}\nspec: {containers: [{name: a, image: a}, {name: b, image: b}]}\n---\n' +
      policy('ns-param', `  paramKind: {apiVersion: v1, kind: Namespace}\n${podRules}\n  validations:\n    - expression: "params.metadata.name == 'a'"`) +
      binding('ns-param', '  policyName: ns-param\n  validationActions: [Deny]\n  paramRef: {name: a, namespace: a}') +
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n';
    const r = vapDryRun(inv(text));
    assert.deepEqual(decisions(r.results), [
      'Pod a/p max-containers/by-selector: allowed',
      'Pod a/p ns-param/ns-param: denied | failed to configure binding: paramRef.namespace must not be provided for a cluster-scoped `paramKind`',
      'Pod b/q ns-param/ns-param: denied | failed to configure binding: paramRef.namespace must not be provided for a cluster-scoped `paramKind`',
      'Pod a/r max-containers/by-selector: denied | at most 1 (one)',
      'Pod a/r ns-param/ns-param: denied | failed to configure binding: paramRef.namespace must not be provided for a cluster-scoped `paramKind`',
    ]);
    assert.ok(r.problems.some((p) => /Binding "by-selector".*no params found; parameterNotFoundAction Allow: the binding is skipped \(first for Pod b\/q\)/.test(p.message)), JSON.stringify(r.problems.map((p) => p.message)));
    assert.equal(r.objects, 4, 'the param ConfigMaps are configuration, the unreferenced Namespace is an object');
  });

  test('matchConditions, failurePolicy, Warn and messageExpression fallbacks', () => {
    const text =
      policy('conds', `  failurePolicy: Ignore\n${podRules}\n  matchConditions:\n    - {name: has-team, expression: "object.metadata.labels.team != ''"}\n  validations:\n    - expression: "object.metadata.labels.team == 'core'"\n      messageExpression: "object.metadata.labels.nope"\n      message: " only core "`) +
      binding('conds', '  policyName: conds\n  validationActions: [Warn]') +
      policy('strict', `${podRules}\n  validations:\n    - expression: "object.spec.nope == 1"\n    - expression: "object.metadata.name.size() < 3"\n      messageExpression: "'line one\\\\nline two'"`) +
      binding('strict-warn', '  policyName: strict\n  validationActions: [Warn]') +
      pod('with-team', 'a', '{team: ops}') +
      pod('no-labels-long', 'a');
    const r = vapDryRun(inv(text));
    assert.deepEqual(decisions(r.results), [
      'Pod a/with-team conds/conds: allowed | only core',
      "Pod a/with-team strict/strict-warn: allowed | expression 'object.spec.nope == 1' resulted in error: no such key: nope | failed expression: object.metadata.name.size() < 3",
      "Pod a/no-labels-long conds/conds: allowed | failed to evaluate matchCondition \"has-team\": expression 'object.metadata.labels.team != ''' resulted in error: no such key: team (ignored)",
      "Pod a/no-labels-long strict/strict-warn: allowed | expression 'object.spec.nope == 1' resulted in error: no such key: nope | failed expression: object.metadata.name.size() < 3",
    ]);
  });

  test('authorizer checks are answered from the input RBAC for the requesting user', () => {
    const text =
      policy('authz', `${podRules}\n  validations:\n    - expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list').allowed()"\n      message: the requester cannot list secrets here`) +
      binding('authz', '  policyName: authz\n  validationActions: [Deny]') +
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: dev-view, namespace: a}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}\nsubjects: [{kind: User, name: dev, apiGroup: rbac.authorization.k8s.io}]\n---\n' +
      pod('p', 'a') +
      pod('q', 'b');
    return import('../../src/vap/authorizer.js').then(({ rbacAuthorizer }) => {
      const i = inv(text);
      const user = { username: 'dev', groups: ['system:authenticated'] };
      const r = vapDryRun(i, { user, authorize: rbacAuthorizer(i, user) });
      assert.deepEqual(decisions(r.results), ['Pod a/p authz/authz: allowed', 'Pod b/q authz/authz: denied | the requester cannot list secrets here']);
    });
  });
});

test('a message built from a Secret never carries its values (vap and custom controls)', async () => {
  const text = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: leaky}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["secrets"]}
  validations:
    - expression: "false"
      messageExpression: "'token is ' + string(base64.decode(object.data.token)) + ' / ' + object.data.token + ' / ' + object.stringData.pw"
    - expression: "false"
      messageExpression: "'token is ' + object.data.token + ' / ' + object.stringData.pw"
  auditAnnotations:
    - {key: pw, valueExpression: "object.stringData.pw"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: leaky}
spec: {policyName: leaky, validationActions: [Deny, Audit]}
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: a}
data: {token: c3VwZXItc2VjcmV0LXRva2Vu}
stringData: {pw: correct-horse-battery}
`;
  const r = vapDryRun(inv(text));
  const out = JSON.stringify(r);
  for (const v of ['c3VwZXItc2VjcmV0LXRva2Vu', 'super-secret-token', 'correct-horse-battery']) assert.ok(!out.includes(v), `${v} in ${out}`);
  assert.ok(out.includes('token is <redacted> / <redacted>'), out);
  const { parseCustomControls, customControl } = await import('../../src/controls/custom/index.js');
  const { scanInventory } = await import('../../src/scan.js');
  const parsed = parseCustomControls('c.yaml', 'id: ACME-7\nname: seven\ntitle: Seven\nseverity: low\nlayer: code\nremediation: Fix.\nmatch: {kinds: [Secret]}\nvalidations:\n  - expression: "false"\n    messageExpression: "\'pw \' + object.stringData.pw"\n');
  const control = customControl(parsed.specs[0]!.spec, parsed.specs[0]!);
  const scan = scanInventory(inv(text), ['in.yaml'], { controls: [control] });
  assert.equal(scan.findings[0]?.message, 'pw <redacted>');
});
