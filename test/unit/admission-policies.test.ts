/**
 * `kordon admission policies`: one policy + binding per control with a `cel` rule, every other
 * control listed with a specific reason; the output is deterministic. (Whether the policies
 * decide as the scan does is asserted against the real API server in
 * test/live/admission-policies.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { allControls } from '../../src/controls/index.js';
import { generatePolicies, ignoreCondition } from '../../src/admission/policies.js';
import { notExpressibleReason } from '../../src/admission/expressibility.js';
import { runCli } from '../support/cli.js';

describe('admission policies', () => {
  it('every control is either a policy or has a specific reason', () => {
    const g = generatePolicies(allControls);
    assert.equal(g.policies.length + g.notExpressed.length, allControls.length);
    assert.equal(g.policies.length, allControls.filter((c) => c.cel).length);
    for (const n of g.notExpressed) assert.notEqual(n.reason, 'no CEL rule written for this control', `${n.controlId} has no reason`);
    for (const c of allControls.filter((c) => !c.cel)) assert.ok(notExpressibleReason(c).length > 20);
  });

  it('pod rules match every workload kind and the ephemeral containers subresource; object rules their kinds', () => {
    const [priv] = generatePolicies(allControls.filter((c) => c.name === 'pss-privileged')).policies;
    const rules = (priv!.policy as any).spec.matchConstraints.resourceRules as Array<{ apiGroups: string[]; resources: string[] }>;
    assert.deepEqual(rules.map((r) => [r.apiGroups[0], r.resources]), [
      ['', ['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers']],
      ['apps', ['daemonsets', 'deployments', 'replicasets', 'statefulsets']],
      ['batch', ['cronjobs', 'jobs']],
    ]);
    assert.deepEqual((priv!.policy as any).spec.variables.map((v: { name: string }) => v.name), ['podSpec']);
    const [svc] = generatePolicies(allControls.filter((c) => c.id === 'KOR-0134')).policies;
    assert.deepEqual((svc!.policy as any).spec.matchConstraints.resourceRules.map((r: { resources: string[] }) => r.resources), [['services']]);
    assert.equal((svc!.policy as any).spec.variables, undefined);
  });

  it('the exception annotation names the control by id, name or *', () => {
    const c = allControls.find((x) => x.id === 'KOR-0003')!;
    const e = ignoreCondition(c).expression;
    assert.match(e, /'KOR-0003', 'pss-privileged'/);
    assert.match(e, /== '\*'/);
  });

  it('the CLI writes the objects with the action and namespaces asked, the same bytes every time', async () => {
    const a = await runCli(['admission', 'policies', '--action', 'warn', '--exclude-namespace', 'kordon-system', '--controls', 'pss-*,KOR-0134,KOR-0200']);
    const b = await runCli(['admission', 'policies', '--action', 'warn', '--exclude-namespace', 'kordon-system', '--controls', 'pss-*,KOR-0134,KOR-0200']);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    const docs = parseAllDocuments(a.out).map((d) => d.toJS()).filter(Boolean);
    const bindings = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicyBinding');
    const policies = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicy');
    assert.equal(policies.length, bindings.length);
    assert.equal(policies.length, allControls.filter((c) => c.cel && (c.name.startsWith('pss-') || c.id === 'KOR-0134')).length);
    for (const b of bindings) {
      assert.deepEqual(b.spec.validationActions, ['Warn']);
      assert.deepEqual(b.spec.matchResources.namespaceSelector.matchExpressions[0].values, ['kordon-system']);
      assert.ok(policies.some((p) => p.metadata.name === b.spec.policyName));
    }
    assert.match(a.out, /^# {3}KOR-0200 rbac-effective-cluster-admin: judges effective permissions/m);
    assert.match(a.out, /^# {3}KOR-0009 pss-selinux-options: /m);
    assert.match(a.err, /policies written; 3 controls not expressible/);
  });

  it('json lists the controls expressed and not expressed', async () => {
    const r = await runCli(['admission', 'policies', '--format', 'json', '--controls', 'KOR-0003,KOR-0108']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.expressed, [{ controlId: 'KOR-0003', control: 'pss-privileged', policy: 'kordon-pss-privileged' }]);
    assert.equal(j.notExpressed[0].controlId, 'KOR-0108');
    assert.match(j.notExpressed[0].reason, /ServiceAccount/);
    assert.equal(j.items.length, 2);
  });

  it('bad flags are usage errors', async () => {
    assert.equal((await runCli(['admission', 'policies', '--action', 'Block'])).code, 2);
    assert.equal((await runCli(['admission', 'policies', '--controls', 'no-such-control'])).code, 2);
    assert.equal((await runCli(['admission', 'policies', '--format', 'xml'])).code, 2);
  });
});
