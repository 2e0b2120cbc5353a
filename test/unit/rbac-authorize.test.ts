/**
 * The authorizer over bindings: scopes, subjects, service account identities, aggregation,
 * missing roles and the system:masters group. Positive and negative cases side by side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorize } from '../../src/rbac/authorize.js';
import { parseSubject, userInfoFor } from '../../src/rbac/model.js';
import type { RequestAttributes } from '../../src/rbac/types.js';
import { ALICE, clusterRole, clusterRoleBinding, indexFromYaml, role, roleBinding } from './rbac-support.js';

const READ_PODS = '[{apiGroups: [""], resources: [pods], verbs: [get, list]}]';
const ask = (user: string, groups: string[], verb: string, resource: string, namespace = '', name = ''): RequestAttributes => ({ user, groups, verb, apiGroup: '', resource, namespace, name });

describe('authorize()', () => {
  it('a RoleBinding to a ClusterRole grants only in the binding\'s namespace', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS) + roleBinding('dev', 'rb', 'ClusterRole', 'reader', ALICE));
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', 'dev')).allowed, true);
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', 'prod')).allowed, false);
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', '')).allowed, false, 'cluster-wide request sees no RoleBinding');
  });

  it('a ClusterRoleBinding grants in every namespace and cluster-wide', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS) + clusterRoleBinding('crb', 'reader', ALICE));
    for (const ns of ['dev', 'prod', '']) assert.equal(authorize(idx, ask('alice', [], 'list', 'pods', ns)).allowed, true, ns);
    assert.equal(authorize(idx, ask('bob', [], 'list', 'pods', 'dev')).allowed, false);
  });

  it('a RoleBinding to a Role uses the Role of its own namespace', () => {
    const idx = indexFromYaml(role('dev', 'r', READ_PODS) + roleBinding('prod', 'rb', 'Role', 'r', ALICE));
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', 'prod')).allowed, false, 'Role prod/r does not exist');
    assert.equal(idx.missingRoles.length, 1);
    assert.match(idx.missingRoles[0]!.reason, /Role "r" not found/);
    const ok = indexFromYaml(role('dev', 'r', READ_PODS) + roleBinding('dev', 'rb', 'Role', 'r', ALICE));
    assert.equal(authorize(ok, ask('alice', [], 'get', 'pods', 'dev')).allowed, true);
    assert.equal(ok.missingRoles.length, 0);
  });

  it('bindings to missing roles are reported, not fatal', () => {
    const idx = indexFromYaml(clusterRoleBinding('crb', 'ghost', ALICE) + clusterRole('reader', READ_PODS) + clusterRoleBinding('crb2', 'reader', ALICE));
    assert.deepEqual(idx.missingRoles.map((m) => m.role), ['ClusterRole//ghost']);
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', 'x')).allowed, true);
  });

  it('Group subjects match the request\'s groups; User subjects the user name', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS) + clusterRoleBinding('crb', 'reader', '[{kind: Group, name: dev}]'));
    assert.equal(authorize(idx, ask('anyone', ['dev'], 'get', 'pods', 'x')).allowed, true);
    assert.equal(authorize(idx, ask('dev', [], 'get', 'pods', 'x')).allowed, false, 'a user named like the group is not in it');
  });

  it('ServiceAccount subjects match the user system:serviceaccount:<ns>:<name> only', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS) + clusterRoleBinding('crb', 'reader', '[{kind: ServiceAccount, name: ci, namespace: build}]'));
    assert.equal(authorize(idx, ask('system:serviceaccount:build:ci', [], 'get', 'pods', 'x')).allowed, true);
    assert.equal(authorize(idx, ask('system:serviceaccount:other:ci', [], 'get', 'pods', 'x')).allowed, false);
    assert.equal(authorize(idx, ask('ci', [], 'get', 'pods', 'x')).allowed, false);
  });

  it('a ServiceAccount subject without namespace defaults to the RoleBinding\'s namespace, and never matches in a ClusterRoleBinding', () => {
    const rb = indexFromYaml(clusterRole('reader', READ_PODS) + roleBinding('build', 'rb', 'ClusterRole', 'reader', '[{kind: ServiceAccount, name: ci}]'));
    assert.equal(authorize(rb, ask('system:serviceaccount:build:ci', [], 'get', 'pods', 'build')).allowed, true);
    assert.equal(authorize(rb, ask('system:serviceaccount:default:ci', [], 'get', 'pods', 'build')).allowed, false);
    const crb = indexFromYaml(clusterRole('reader', READ_PODS) + clusterRoleBinding('crb', 'reader', '[{kind: ServiceAccount, name: ci}]'));
    assert.equal(authorize(crb, ask('system:serviceaccount:default:ci', [], 'get', 'pods', 'default')).allowed, false);
    assert.equal(authorize(crb, ask('system:serviceaccount::ci', [], 'get', 'pods', 'default')).allowed, false);
  });

  it('service accounts are in system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated', () => {
    const idx = indexFromYaml(
      clusterRole('reader', READ_PODS) +
        roleBinding('a', 'all-sa', 'ClusterRole', 'reader', '[{kind: Group, name: "system:serviceaccounts"}]') +
        roleBinding('b', 'ns-sa', 'ClusterRole', 'reader', '[{kind: Group, name: "system:serviceaccounts:b"}]') +
        roleBinding('c', 'authn', 'ClusterRole', 'reader', '[{kind: Group, name: "system:authenticated"}]'),
    );
    const sa = userInfoFor({ kind: 'ServiceAccount', namespace: 'x', name: 'app' });
    assert.deepEqual(sa.groups, ['system:serviceaccounts', 'system:serviceaccounts:x', 'system:authenticated']);
    assert.equal(authorize(idx, { ...sa, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'a' }).allowed, true);
    assert.equal(authorize(idx, { ...sa, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'b' }).allowed, false, 'not in system:serviceaccounts:b');
    const inB = userInfoFor({ kind: 'ServiceAccount', namespace: 'b', name: 'app' });
    assert.equal(authorize(idx, { ...inB, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'b' }).allowed, true);
    const alice = userInfoFor({ kind: 'User', name: 'alice' });
    assert.equal(authorize(idx, { ...alice, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'c' }).allowed, true);
    assert.equal(authorize(idx, { ...alice, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'a' }).allowed, false);
    const anonymous = userInfoFor({ kind: 'User', name: 'system:anonymous' });
    assert.deepEqual(anonymous.groups, ['system:unauthenticated']);
    assert.equal(authorize(idx, { ...anonymous, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'c' }).allowed, false);
  });

  it('system:masters is allowed everything (the API server\'s built-in superuser group), unless disabled', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS));
    const d = authorize(idx, ask('root', ['system:masters'], 'delete', 'nodes'));
    assert.equal(d.allowed, true);
    assert.equal(d.grants[0]!.binding, 'built-in//system:masters');
    assert.equal(authorize(idx, { user: 'root', groups: ['system:masters'], verb: 'get', path: '/metrics' }).allowed, true);
    assert.equal(authorize(idx, ask('root', ['masters'], 'delete', 'nodes')).allowed, false);
    const off = indexFromYaml(clusterRole('reader', READ_PODS), { superuserGroup: false });
    assert.equal(authorize(off, ask('root', ['system:masters'], 'delete', 'nodes')).allowed, false);
  });

  it('aggregated ClusterRoles get the rules of the roles their selectors match (fixed point, not themselves)', () => {
    const idx = indexFromYaml(
      clusterRole('base', READ_PODS, ', labels: {agg/view: "true"}') +
        clusterRole('other', '[{apiGroups: [""], resources: [secrets], verbs: [get]}]', ', labels: {agg/view: "false"}') +
        '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view, labels: {agg/edit: "true"}}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {agg/view: "true"}}]}\n' +
        '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: edit}\naggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: agg/edit, operator: Exists}]}]}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [create]}]\n' +
        clusterRoleBinding('v', 'view', ALICE) +
        clusterRoleBinding('e', 'edit', '[{kind: User, name: bob}]'),
    );
    assert.equal(authorize(idx, ask('alice', [], 'get', 'pods', 'x')).allowed, true);
    assert.equal(authorize(idx, ask('alice', [], 'get', 'secrets', 'x')).allowed, false, 'label value does not match');
    assert.equal(authorize(idx, ask('bob', [], 'list', 'pods', 'x')).allowed, true, 'edit ← view ← base');
    assert.equal(authorize(idx, { user: 'bob', groups: [], verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'x' }).allowed, true, 'rules already present are kept (merged)');
    const raw = indexFromYaml(
      clusterRole('base', READ_PODS, ', labels: {agg/view: "true"}') +
        '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view}\naggregationRule: {clusterRoleSelectors: [{matchLabels: {agg/view: "true"}}]}\n' +
        clusterRoleBinding('v', 'view', ALICE),
      { aggregate: false },
    );
    assert.equal(authorize(raw, ask('alice', [], 'get', 'pods', 'x')).allowed, false, 'aggregation off: stored rules only');
  });

  it('non-resource URLs are granted by ClusterRoleBindings only', () => {
    const urls = '[{nonResourceURLs: ["/metrics"], verbs: [get]}]';
    const crb = indexFromYaml(clusterRole('m', urls) + clusterRoleBinding('crb', 'm', ALICE));
    assert.equal(authorize(crb, { user: 'alice', groups: [], verb: 'get', path: '/metrics' }).allowed, true);
    const rb = indexFromYaml(clusterRole('m', urls) + roleBinding('dev', 'rb', 'ClusterRole', 'm', ALICE));
    assert.equal(authorize(rb, { user: 'alice', groups: [], verb: 'get', path: '/metrics' }).allowed, false);
  });

  it('returns every grant, sorted, with binding, role and rule', () => {
    const idx = indexFromYaml(clusterRole('reader', READ_PODS) + role('dev', 'r', READ_PODS) + roleBinding('dev', 'rb', 'Role', 'r', ALICE) + clusterRoleBinding('crb', 'reader', ALICE));
    const d = authorize(idx, ask('alice', [], 'get', 'pods', 'dev', 'p'));
    assert.deepEqual(d.grants.map((g) => [g.binding, g.role, g.namespace]), [
      ['ClusterRoleBinding//crb', 'ClusterRole//reader', undefined],
      ['RoleBinding/dev/rb', 'Role/dev/r', 'dev'],
    ]);
    assert.deepEqual(d.grants[0]!.rule.verbs, ['get', 'list']);
  });

  it('ignores objects that are not rbac.authorization.k8s.io', () => {
    const fake = clusterRole('reader', READ_PODS).replace('rbac.authorization.k8s.io/v1', 'example.com/v1') + clusterRoleBinding('crb', 'reader', ALICE);
    assert.equal(authorize(indexFromYaml(fake), ask('alice', [], 'get', 'pods', 'x')).allowed, false);
  });

  it('parses subjects in user:, group:, sa: and system:serviceaccount: forms', () => {
    assert.deepEqual(parseSubject('user:alice'), { kind: 'User', name: 'alice' });
    assert.deepEqual(parseSubject('group:system:masters'), { kind: 'Group', name: 'system:masters' });
    assert.deepEqual(parseSubject('sa:ns/app'), { kind: 'ServiceAccount', namespace: 'ns', name: 'app' });
    assert.deepEqual(parseSubject('system:serviceaccount:ns:app'), { kind: 'ServiceAccount', namespace: 'ns', name: 'app' });
    assert.equal(parseSubject('alice'), undefined);
    assert.equal(parseSubject('sa:nonamespace'), undefined);
  });
});
