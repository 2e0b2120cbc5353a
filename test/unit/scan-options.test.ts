import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inNamespaceScope, inventoryOf, scanInventory } from '../../src/scan.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';
import { SEVERITIES } from '../../src/engine/types.js';

const origin: Origin = { source: 'test.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1, via: 'file' };
const obj = (o: Record<string, unknown>): { object: K8sObject; origin: Origin } => ({ object: o as unknown as K8sObject, origin });
const pod = (name: string, namespace?: string, spec: Record<string, unknown> = {}) =>
  obj({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }], ...spec } });
const crb = (name: string, subjects: unknown[]) => obj({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects });

test('namespace scope: namespaced objects of NS (unset = default), its Namespace object, bindings that concern it, other cluster-scoped objects', () => {
  const inv = inventoryOf([
    pod('a', 'team-a'),
    pod('b', 'team-b'),
    pod('c'),
    obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
    obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } }),
    obj({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }),
    crb('sa-a', [{ kind: 'ServiceAccount', name: 'x', namespace: 'team-a' }]),
    crb('sa-b', [{ kind: 'ServiceAccount', name: 'x', namespace: 'team-b' }]),
    crb('group', [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }]),
    crb('mixed', [{ kind: 'ServiceAccount', name: 'x', namespace: 'team-b' }, { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }]),
    crb('none', []),
  ]);
  const ids = (ns: string[]) => inv.objects.filter(inNamespaceScope(inv, ns)).map((o) => o.id);
  assert.deepEqual(ids(['team-a']), ['Pod/team-a/a', 'Namespace//team-a', 'Node//n1', 'ClusterRoleBinding//sa-a', 'ClusterRoleBinding//group', 'ClusterRoleBinding//mixed', 'ClusterRoleBinding//none']);
  assert.deepEqual(ids(['default']).filter((id) => id.startsWith('Pod')), ['Pod/default/c']);
  assert.ok(ids(['team-a', 'team-b']).includes('ClusterRoleBinding//sa-b'));
});

test('namespace scope: objects outside it are context, not targets: no findings on them, counts and scores over the scope', () => {
  const inv = inventoryOf([pod('a', 'team-a'), pod('b', 'team-b'), pod('b2', 'team-b')]);
  const all = scanInventory(inv, ['test.yaml']);
  const scoped = scanInventory(inv, ['test.yaml'], { namespaceScope: ['team-a'] });
  assert.ok(all.findings.some((f) => f.object?.namespace === 'team-b'));
  assert.ok(scoped.findings.length > 0 && scoped.findings.every((f) => f.object === undefined || f.object.namespace === 'team-a'));
  assert.equal(scoped.summary.objects, 1);
  assert.deepEqual(scoped.filters, { namespaces: ['team-a'] });
  const privileged = (r: typeof all) => r.evaluations.find((e) => e.controlId === 'KOR-0003')!;
  assert.deepEqual(privileged(scoped), { controlId: 'KOR-0003', evaluated: 1, failed: 1, worst: 'critical' });
  assert.deepEqual(privileged(all), { controlId: 'KOR-0003', evaluated: 3, failed: 3, worst: 'critical' });
});

test('severity threshold: nothing below it in findings, summary or evaluations; controls below it do not run', () => {
  const inv = inventoryOf([pod('a', 'team-a')]);
  const all = scanInventory(inv, ['test.yaml']);
  assert.ok(all.findings.some((f) => f.severity === 'medium' || f.severity === 'low'));
  for (const min of SEVERITIES) {
    const r = scanInventory(inv, ['test.yaml'], { minSeverity: min });
    const rank = SEVERITIES.indexOf(min);
    assert.ok(r.findings.every((f) => SEVERITIES.indexOf(f.severity) <= rank), min);
    assert.ok(r.controls.every((c) => SEVERITIES.indexOf(c.severity) <= rank), min);
    assert.equal(r.findings.length, all.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= rank).length, `${min}: exactly the findings at or above`);
    for (const s of SEVERITIES.slice(rank + 1)) assert.equal(r.summary.bySeverity[s], 0);
    assert.deepEqual(r.filters, { minSeverity: min });
  }
});
