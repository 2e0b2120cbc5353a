/**
 * The risky-grant controls beyond their fixtures: how findings read, what they leave out
 * (bootstrap policy, cluster-admin duplicates, unbound roles) and robustness.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rbacControls } from '../../src/controls/rbac.js';
import { scanInventory } from '../../src/scan.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { RbacIndex } from '../../src/rbac/model.js';
import { ALICE, clusterRole, clusterRoleBinding, inventoryFromYaml, role, roleBinding } from './rbac-support.js';

const findings = (yaml: string) => scanInventory(inventoryFromYaml(yaml), ['test.yaml'], { controls: rbacControls }).findings;
const ids = (yaml: string): string[] => [...new Set(findings(yaml).map((f) => f.controlId))].sort();

describe('RBAC controls', () => {
  it('every control is in the cluster layer, guards authorization and has an id in KOR-0200..0299', () => {
    assert.ok(rbacControls.length >= 20);
    for (const c of rbacControls) {
      assert.match(c.id, /^KOR-02\d\d$/);
      assert.equal(c.layer, 'cluster');
      assert.equal(c.guard, 'authorization');
      assert.equal(c.targets, 'inventory');
    }
  });

  it('a cluster-admin equivalent is reported once as such, not again by every narrower control', () => {
    const yaml = clusterRole('all', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]') + clusterRoleBinding('all', 'all', ALICE);
    assert.deepEqual(ids(yaml), ['KOR-0200']);
    // the wildcard is the same binding's grant: named on the winner, not reported again (docs/deduplication.md)
    assert.deepEqual(findings(yaml)[0]!.related?.map((r) => r.controlId), ['KOR-0222']);
  });

  it('names the subjects, scope, role and resourceNames restriction in the message', () => {
    const yaml = role('dev', 'r', '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [db, api]}]') + roleBinding('dev', 'b', 'Role', 'r', '[{kind: ServiceAccount, name: app}, {kind: Group, name: ops}]');
    const f = findings(yaml).find((x) => x.controlId === 'KOR-0202')!;
    assert.equal(f.message, 'RoleBinding "b" gives ServiceAccount dev/app, Group ops read access to secrets (get, list or watch) in namespace "dev" through Role "r" (only objects named api, db).');
    assert.equal(f.pointer, '/roleRef');
    assert.equal(f.object?.id, 'RoleBinding/dev/b');
  });

  it('follows aggregation: a grant hidden in an aggregated ClusterRole is found', () => {
    const yaml =
      clusterRole('exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]', ', labels: {agg: "yes"}') +
      '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: support}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {agg: "yes"}}]}\n' +
      roleBinding('dev', 'support', 'ClusterRole', 'support', ALICE);
    const f = findings(yaml).filter((x) => x.controlId === 'KOR-0210');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /through ClusterRole "support"/);
  });

  it('leaves out the bootstrap policy, unbound roles, bindings to missing roles and unmatchable subjects', () => {
    const boot = clusterRole('exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]') + clusterRoleBinding('b', 'exec', ALICE).replace('metadata: {name: b}', 'metadata: {name: b, labels: {kubernetes.io/bootstrapping: rbac-defaults}}');
    assert.deepEqual(ids(boot), []);
    assert.deepEqual(ids(clusterRole('exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]')), []);
    assert.deepEqual(ids(clusterRoleBinding('b', 'missing', ALICE)), []);
    assert.deepEqual(ids(clusterRole('exec', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]') + clusterRoleBinding('b', 'exec', '[{kind: ServiceAccount, name: no-namespace}]')), []);
  });

  it('tolerates objects that do not match the schema', () => {
    const origin = { source: 'malformed.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 };
    const weird = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [null, { verbs: 'x', resources: [1, 'pods'] }], aggregationRule: 'x' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a' }, aggregationRule: { clusterRoleSelectors: [null, { matchExpressions: [{ key: 'k', operator: 'Weird' }] }] } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: 'x', subjects: [null, 'x', { kind: 'Robot', name: 'r2' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'c' }, roleRef: { kind: 'Role', name: 5 }, subjects: 'x' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {}, rules: 'x' },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's', annotations: { 'eks.amazonaws.com/role-arn': '' } } },
    ];
    const inv = new Inventory(weird.map((object) => ({ object: object as never, origin })));
    assert.doesNotThrow(() => scanInventory(inv, ['malformed.yaml'], { controls: rbacControls }));
    const idx = RbacIndex.fromInventory(inv);
    assert.equal(idx.missingRoles.length, 2);
  });
});
