/** who-can, effective permissions, kubectl resource arguments and escalation paths. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whoCan } from '../../src/rbac/who-can.js';
import { effectivePermissions } from '../../src/rbac/permissions.js';
import { escalationPaths } from '../../src/rbac/escalation.js';
import { parseResourceArgument } from '../../src/rbac/resources.js';
import { userInfoFor } from '../../src/rbac/model.js';
import { ALICE, clusterRole, clusterRoleBinding, indexFromYaml, role, roleBinding } from './rbac-support.js';

const labels = (r: ReturnType<typeof whoCan>): string[] => r.subjects.map((s) => `${s.kind}:${s.namespace ? s.namespace + '/' : ''}${s.name}`);

describe('parseResourceArgument()', () => {
  it('reads kubectl resource forms', () => {
    assert.deepEqual(parseResourceArgument('pods'), { resource: 'pods', apiGroup: '', subresource: '' });
    assert.deepEqual(parseResourceArgument('pods/log'), { resource: 'pods', apiGroup: '', subresource: 'log' });
    assert.deepEqual(parseResourceArgument('deployments'), { resource: 'deployments', apiGroup: 'apps', subresource: '' });
    assert.deepEqual(parseResourceArgument('deployments.apps/scale'), { resource: 'deployments', apiGroup: 'apps', subresource: 'scale' });
    assert.deepEqual(parseResourceArgument('certificatesigningrequests.certificates.k8s.io/approval'), { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', subresource: 'approval' });
    assert.deepEqual(parseResourceArgument('widgets'), { resource: 'widgets', apiGroup: '', subresource: '' });
  });
});

describe('whoCan()', () => {
  const yaml =
    clusterRole('reader', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') +
    clusterRole('node-reader', '[{apiGroups: [""], resources: [nodes], verbs: [get]}]') +
    clusterRole('named', '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [app]}]') +
    roleBinding('dev', 'devs', 'ClusterRole', 'reader', '[{kind: Group, name: developers}, {kind: ServiceAccount, name: ci}]') +
    roleBinding('prod', 'ops', 'ClusterRole', 'reader', '[{kind: User, name: olga}]') +
    roleBinding('dev', 'nodes-in-ns', 'ClusterRole', 'node-reader', ALICE) +
    clusterRoleBinding('global', 'reader', '[{kind: User, name: root}]') +
    clusterRoleBinding('secret', 'named', '[{kind: User, name: sam}]');
  const idx = indexFromYaml(yaml);

  it('with a namespace: cluster role bindings plus that namespace\'s role bindings', () => {
    const r = whoCan(idx, { verb: 'get', resource: 'pods', namespace: 'dev' });
    assert.deepEqual(labels(r), ['Group:developers', 'Group:system:masters', 'ServiceAccount:dev/ci', 'User:root']);
    const grant = r.subjects.find((s) => s.name === 'ci')!.grants[0]!;
    assert.deepEqual([grant.binding, grant.role, grant.namespace], ['RoleBinding/dev/devs', 'ClusterRole//reader', 'dev']);
    assert.ok(!labels(r).includes('User:olga'));
  });

  it('in all namespaces: every role binding, each in its own namespace', () => {
    assert.deepEqual(labels(whoCan(idx, { verb: 'get', resource: 'pods', allNamespaces: true })), ['Group:developers', 'Group:system:masters', 'ServiceAccount:dev/ci', 'User:olga', 'User:root']);
  });

  it('cluster-wide: cluster role bindings only; and no role binding ever grants a cluster-scoped resource', () => {
    assert.deepEqual(labels(whoCan(idx, { verb: 'get', resource: 'pods' })), ['Group:system:masters', 'User:root']);
    assert.deepEqual(labels(whoCan(idx, { verb: 'get', resource: 'nodes', allNamespaces: true })), ['Group:system:masters']);
  });

  it('resourceNames: a named request matches, an unnamed one does not', () => {
    assert.ok(labels(whoCan(idx, { verb: 'get', resource: 'secrets', name: 'app', namespace: 'x' })).includes('User:sam'));
    assert.ok(!labels(whoCan(idx, { verb: 'get', resource: 'secrets', namespace: 'x' })).includes('User:sam'));
    assert.ok(!labels(whoCan(idx, { verb: 'get', resource: 'secrets', name: 'other', namespace: 'x' })).includes('User:sam'));
  });

  it('non-resource URLs', () => {
    const i = indexFromYaml(clusterRole('m', '[{nonResourceURLs: ["/metrics*"], verbs: [get]}]') + clusterRoleBinding('m', 'm', '[{kind: User, name: prom}]'));
    assert.deepEqual(labels(whoCan(i, { verb: 'get', path: '/metrics/cadvisor' })), ['Group:system:masters', 'User:prom']);
    assert.deepEqual(labels(whoCan(i, { verb: 'get', path: '/healthz' })), ['Group:system:masters']);
  });
});

describe('effectivePermissions()', () => {
  it('merges rules per (group, resource, names), cluster-wide and per namespace, sorted', () => {
    const idx = indexFromYaml(
      clusterRole('a', '[{apiGroups: [""], resources: [pods, services], verbs: [list, get]}, {nonResourceURLs: ["/healthz"], verbs: [get]}]') +
        clusterRole('b', '[{apiGroups: [""], resources: [pods], verbs: [watch]}]') +
        role('dev', 'w', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}, {apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [z, w]}]') +
        clusterRoleBinding('a', 'a', ALICE) +
        clusterRoleBinding('b', 'b', '[{kind: Group, name: "system:authenticated"}]') +
        roleBinding('dev', 'w', 'Role', 'w', ALICE),
    );
    const p = effectivePermissions(idx, userInfoFor({ kind: 'User', name: 'alice' }));
    assert.deepEqual(p.clusterWide.resources.map((r) => `${r.apiGroup}|${r.resource}|${r.verbs.join(',')}|${r.from.join(',')}`), [
      '|pods|get,list,watch|ClusterRoleBinding//a,ClusterRoleBinding//b',
      '|services|get,list|ClusterRoleBinding//a',
    ]);
    assert.deepEqual(p.clusterWide.nonResourceURLs.map((u) => `${u.url}|${u.verbs}`), ['/healthz|get']);
    assert.deepEqual(p.namespaces.map((n) => n.namespace), ['dev']);
    assert.deepEqual(p.namespaces[0]!.resources.map((r) => `${r.apiGroup}|${r.resource}|${r.resourceNames.join(',')}|${r.verbs}`), ['|secrets|w,z|get', 'apps|deployments||create']);
    const bob = effectivePermissions(idx, userInfoFor({ kind: 'User', name: 'bob' }));
    assert.deepEqual(bob.clusterWide.resources.map((r) => r.resource), ['pods'], 'bob only gets what system:authenticated gets');
    assert.deepEqual(bob.namespaces, []);
  });
});

describe('escalationPaths()', () => {
  const base =
    clusterRole('admin-ish', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]') +
    clusterRoleBinding('robot-admin', 'admin-ish', '[{kind: ServiceAccount, name: robot, namespace: ops}]') +
    '---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: ops}\n';

  it('pod creation in a namespace reaches its service accounts', () => {
    const idx = indexFromYaml(base + role('ops', 'pods', '[{apiGroups: [apps], resources: [deployments], verbs: [create]}]') + roleBinding('ops', 'alice-pods', 'Role', 'pods', ALICE));
    const r = escalationPaths(idx, userInfoFor({ kind: 'User', name: 'alice' }));
    assert.equal(r.paths.length, 1);
    assert.equal(r.paths[0]!.target, 'sa:ops/robot');
    assert.equal(r.paths[0]!.clusterAdmin, true);
    assert.equal(r.paths[0]!.steps[0]!.action, 'create-pod');
    assert.equal(r.paths[0]!.steps[0]!.grants[0]!.binding, 'RoleBinding/ops/alice-pods');
    const elsewhere = indexFromYaml(base + role('dev', 'pods', '[{apiGroups: [""], resources: [pods], verbs: [create]}]') + roleBinding('dev', 'alice-pods', 'Role', 'pods', ALICE));
    assert.deepEqual(escalationPaths(elsewhere, userInfoFor({ kind: 'User', name: 'alice' })).paths, []);
  });

  it('reading a service account token Secret reaches that account (named get counts, other names do not)', () => {
    const secret = '---\napiVersion: v1\nkind: Secret\nmetadata: {name: robot-token, namespace: ops, annotations: {kubernetes.io/service-account.name: robot}}\ntype: kubernetes.io/service-account-token\n';
    const ok = indexFromYaml(base + secret + role('ops', 's', '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [robot-token]}]') + roleBinding('ops', 's', 'Role', 's', ALICE));
    const r = escalationPaths(ok, userInfoFor({ kind: 'User', name: 'alice' }));
    assert.deepEqual(r.paths.map((p) => [p.target, p.steps[0]!.action]), [['sa:ops/robot', 'read-token-secret']]);
    const no = indexFromYaml(base + secret + role('ops', 's', '[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [other]}]') + roleBinding('ops', 's', 'Role', 's', ALICE));
    assert.deepEqual(escalationPaths(no, userInfoFor({ kind: 'User', name: 'alice' })).paths, []);
  });

  it('impersonating system:masters, binding cluster roles and CSR approval reach cluster-admin', () => {
    const imp = indexFromYaml(clusterRole('imp', '[{apiGroups: [""], resources: [groups], verbs: [impersonate]}]') + clusterRoleBinding('imp', 'imp', ALICE));
    const r = escalationPaths(imp, userInfoFor({ kind: 'User', name: 'alice' }));
    assert.deepEqual(r.paths.map((p) => [p.target, p.clusterAdmin, p.steps[0]!.action]), [['group:system:masters', true, 'impersonate']]);
    const bind = indexFromYaml(clusterRole('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]') + clusterRoleBinding('b', 'binder', ALICE));
    assert.equal(escalationPaths(bind, userInfoFor({ kind: 'User', name: 'alice' })).paths[0]?.steps[0]?.action, 'bind-role');
    const bindOnly = indexFromYaml(clusterRole('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}]') + clusterRoleBinding('b', 'binder', ALICE));
    assert.deepEqual(escalationPaths(bindOnly, userInfoFor({ kind: 'User', name: 'alice' })).paths, [], 'bind without creating bindings is not enough');
    const bindNamed = indexFromYaml(
      clusterRole('platform-admin', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]') +
        clusterRole('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [platform-admin]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]') +
        clusterRoleBinding('b', 'binder', ALICE),
    );
    assert.match(escalationPaths(bindNamed, userInfoFor({ kind: 'User', name: 'alice' })).paths[0]?.steps[0]?.description ?? '', /ClusterRole "platform-admin"/);
    const bindReader = indexFromYaml(clusterRole('reader', '[{apiGroups: [""], resources: [pods], verbs: [get]}]') + clusterRole('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [reader]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]') + clusterRoleBinding('b', 'binder', ALICE));
    assert.deepEqual(escalationPaths(bindReader, userInfoFor({ kind: 'User', name: 'alice' })).paths, [], 'binding a harmless role is no escalation to admin');
    const csr = indexFromYaml(
      clusterRole('csr', '[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}]') +
        clusterRoleBinding('c', 'csr', ALICE),
    );
    assert.equal(escalationPaths(csr, userInfoFor({ kind: 'User', name: 'alice' })).paths[0]?.steps[0]?.action, 'approve-csr');
  });

  it('finds two-step paths, and a cluster admin has nothing to escalate to', () => {
    const idx = indexFromYaml(
      base +
        '---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: build}\n' +
        role('build', 'tok', '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create], resourceNames: [deployer]}]') +
        roleBinding('build', 'tok', 'Role', 'tok', ALICE) +
        role('ops', 'pods', '[{apiGroups: [""], resources: [pods], verbs: [create]}]') +
        roleBinding('ops', 'deployer-pods', 'Role', 'pods', '[{kind: ServiceAccount, name: deployer, namespace: build}]'),
    );
    const r = escalationPaths(idx, userInfoFor({ kind: 'User', name: 'alice' }));
    const admin = r.paths.find((p) => p.target === 'sa:ops/robot')!;
    assert.deepEqual(admin.steps.map((s) => s.action), ['create-token', 'create-pod']);
    assert.equal(escalationPaths(idx, userInfoFor({ kind: 'User', name: 'alice' }), { maxDepth: 1 }).paths.some((p) => p.target === 'sa:ops/robot'), false);
    assert.equal(escalationPaths(idx, userInfoFor({ kind: 'ServiceAccount', namespace: 'ops', name: 'robot' })).startIsClusterAdmin, true);
  });
});
