/**
 * RBAC edges: what each identity can do that matters to an attacker, decided by the RBAC
 * engine's own authorizer (`authorize`), so wildcards, subresources, resourceNames, aggregation
 * and RoleBinding scope follow the API server's semantics exactly.
 *
 * Namespaced abilities are asked cluster-wide first (namespace '': only ClusterRoleBindings
 * apply, so it holds in every namespace) and then in each namespace where a RoleBinding applies
 * to the identity. Secrets readable only by name (`resourceNames`) are not modelled as readable.
 */
import { authorize, CompiledIdentity, SUPERUSER_BINDING } from '../rbac/authorize.js';
import { requestKeys, serviceAccountUsername, userInfoFor, type BindingEntry, type RbacIndex } from '../rbac/model.js';
import { POD_CONTROLLER_RESOURCES } from '../rbac/resources.js';
import type { Grant, Subject, UserInfo } from '../rbac/types.js';
import type { EdgeKind, Evidence } from './graph.js';
import type { GraphBuilder, HubKind } from './build.js';

interface Ask {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  name?: string;
}

type Target = { hub: HubKind } | { vertex: 'cluster-admin' | 'control-plane' | 'all-nodes' | 'privileged-pod' };

interface Ability {
  edge: EdgeKind;
  weight: number;
  detail: string;
  /** Each inner list is alternatives (any); the outer list must all hold (by any bindings). */
  needs: Ask[][];
  scope: 'namespaced' | 'cluster';
  targets: Target[];
}

const CONTROLLERS = POD_CONTROLLER_RESOURCES;
const ADMISSION: Ask[] = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'].flatMap((resource) =>
  ['create', 'update', 'patch'].map((verb) => ({ verb, apiGroup: 'admissionregistration.k8s.io', resource })),
);

export const ABILITIES: readonly Ability[] = [
  { edge: 'is-cluster-admin', weight: 0, detail: 'allowed every verb on every resource cluster-wide', needs: [[{ verb: '*', apiGroup: '*', resource: '*' }]], scope: 'cluster', targets: [{ vertex: 'cluster-admin' }] },
  {
    edge: 'exec-into-pods',
    weight: 1,
    detail: 'can exec/attach into pods',
    needs: [['exec', 'attach'].flatMap((sub) => ['create', 'get'].map((verb) => ({ verb, apiGroup: '', resource: 'pods', subresource: sub })))],
    scope: 'namespaced',
    targets: [{ hub: 'pods' }],
  },
  {
    edge: 'create-pods',
    weight: 1,
    detail: 'can create pods or pod controllers: run a pod as any service account of the namespace',
    needs: [[...CONTROLLERS.map((r) => ({ verb: 'create', ...r })), ...CONTROLLERS.filter((r) => r.resource !== 'pods').flatMap((r) => ['update', 'patch'].map((verb) => ({ verb, ...r })))]],
    scope: 'namespaced',
    targets: [{ hub: 'serviceaccounts' }, { vertex: 'privileged-pod' }],
  },
  {
    edge: 'create-pods',
    weight: 2, // the pod has to run and hand the secret back (logs, exec, the network): more work than reading it
    detail: 'can create pods or pod controllers: mount any secret of the namespace into a pod',
    needs: [[...CONTROLLERS.map((r) => ({ verb: 'create', ...r })), ...CONTROLLERS.filter((r) => r.resource !== 'pods').flatMap((r) => ['update', 'patch'].map((verb) => ({ verb, ...r })))]],
    scope: 'namespaced',
    targets: [{ hub: 'secrets' }],
  },
  { edge: 'patch-pods', weight: 2, detail: 'can patch pods: swap a container image', needs: [['patch', 'update'].map((verb) => ({ verb, apiGroup: '', resource: 'pods' }))], scope: 'namespaced', targets: [{ hub: 'pods' }] },
  { edge: 'read-secrets', weight: 1, detail: 'can read secrets (list, watch or get any name)', needs: [['list', 'watch', 'get'].map((verb) => ({ verb, apiGroup: '', resource: 'secrets' }))], scope: 'namespaced', targets: [{ hub: 'secrets' }] },
  { edge: 'create-token', weight: 1, detail: 'can create service account tokens (serviceaccounts/token)', needs: [[{ verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }]], scope: 'namespaced', targets: [{ hub: 'serviceaccounts' }] },
  { edge: 'impersonate', weight: 1, detail: 'can impersonate service accounts', needs: [[{ verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts' }]], scope: 'namespaced', targets: [{ hub: 'serviceaccounts' }] },
  {
    edge: 'impersonate',
    weight: 1,
    detail: 'can impersonate any user or the system:masters group',
    needs: [[{ verb: 'impersonate', apiGroup: '', resource: 'users' }, { verb: 'impersonate', apiGroup: '', resource: 'groups', name: 'system:masters' }]],
    scope: 'cluster',
    targets: [{ vertex: 'cluster-admin' }],
  },
  {
    edge: 'bind-escalate',
    weight: 1,
    detail: 'can bind cluster-admin in a ClusterRoleBinding',
    needs: [[{ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }], [{ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'cluster-admin' }]],
    scope: 'cluster',
    targets: [{ vertex: 'cluster-admin' }],
  },
  {
    edge: 'bind-escalate',
    weight: 1,
    detail: 'can escalate a ClusterRole (escalate + update)',
    needs: [[{ verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }], ['update', 'patch'].map((verb) => ({ verb, apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }))],
    scope: 'cluster',
    targets: [{ vertex: 'cluster-admin' }],
  },
  {
    edge: 'bind-escalate',
    weight: 2,
    detail: 'can bind cluster-admin in a RoleBinding: full control of the namespace',
    needs: [[{ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings' }], [{ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'cluster-admin' }]],
    scope: 'namespaced',
    targets: [{ hub: 'pods' }, { hub: 'secrets' }, { hub: 'serviceaccounts' }],
  },
  { edge: 'kubelet-proxy', weight: 1, detail: 'can use nodes/proxy: the kubelet API runs commands in any pod of the node', needs: [['get', 'create'].map((verb) => ({ verb, apiGroup: '', resource: 'nodes', subresource: 'proxy' }))], scope: 'cluster', targets: [{ vertex: 'all-nodes' }] },
  {
    edge: 'approve-csr',
    weight: 2,
    detail: 'can create and approve client certificate requests: sign in as any identity',
    needs: [
      [{ verb: 'create', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests' }],
      [{ verb: 'update', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' }],
      [{ verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/kube-apiserver-client' }],
    ],
    scope: 'cluster',
    targets: [{ vertex: 'cluster-admin' }],
  },
  { edge: 'change-admission', weight: 2, detail: 'can change admission webhooks or policies: intercept and rewrite every object', needs: [ADMISSION], scope: 'cluster', targets: [{ vertex: 'control-plane' }] },
];

/**
 * Whether an identity's abilities depend only on the roles that apply to it (and the
 * superuser group): decisions are cached per role set, and only a positive one is asked again
 * for its grants (the evidence names the identity's own bindings).
 */
const decisionCache = new WeakMap<RbacIndex, Map<string, boolean>>();

function roleSetKey(index: RbacIndex, info: UserInfo, namespace: string): string {
  const keys: string[] = [];
  for (const b of index.clusterBindingsFor(info)) keys.push(b.roleKey);
  if (namespace !== '') for (const b of index.namespaceBindingsFor(info, namespace)) keys.push(`${b.roleKey}@${namespace === b.namespace ? '.' : b.namespace}`);
  if (index.superuserGroup && info.groups.includes('system:masters')) keys.push('system:masters');
  return keys.sort().join(',');
}

/** Grants that allow every need, or undefined. */
function allowed(index: RbacIndex, info: UserInfo, ability: Ability, namespace: string, roleKey: string, identity?: CompiledIdentity): Grant[] | undefined {
  let cache = decisionCache.get(index);
  if (!cache) decisionCache.set(index, (cache = new Map()));
  const key = `${ABILITIES.indexOf(ability)}|${namespace === '' ? 'cluster' : 'ns'}|${roleKey}`;
  if (cache.get(key) === false) return undefined;
  const out: Grant[] = [];
  for (const alternatives of ability.needs) {
    let hit: Grant | undefined;
    for (const a of alternatives) {
      // no rule of the identity, anywhere, names the verb: the authorizer would say no
      if (identity && !identity.mayUse(a.verb)) continue;
      const d = authorize(index, { ...info, verb: a.verb, apiGroup: a.apiGroup, resource: a.resource, subresource: a.subresource ?? '', namespace, name: a.name ?? '' });
      if (d.allowed) {
        hit = d.grants[0];
        break;
      }
    }
    if (!hit) {
      cache.set(key, false);
      return undefined;
    }
    out.push(hit);
  }
  cache.set(key, true);
  return out;
}

/** Evidence for grants: the binding (its subjects) and the role rule. */
export function grantEvidence(index: RbacIndex, bindings: Map<string, BindingEntry>, grants: Grant[], detail: string): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const g of grants) {
    const key = `${g.binding}|${g.role}|${JSON.stringify(g.rule)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (g.binding === SUPERUSER_BINDING) {
      out.push({ object: SUPERUSER_BINDING, pointer: '', detail: 'member of system:masters', role: 'cause' });
      continue;
    }
    const b = bindings.get(g.binding);
    if (b?.item) out.push({ object: b.item.id, pointer: '/subjects', detail: `${b.kind} ${b.namespace ? b.namespace + '/' : ''}${b.name} binds ${b.roleRef.kind} ${b.roleRef.name}`, role: 'cause' });
    const role = b?.role ?? index.roles.get(g.role);
    if (role?.item) {
      const i = role.rules.indexOf(g.rule);
      const raw = Array.isArray(role.item.object['rules']) ? (role.item.object['rules'] as unknown[]).length : 0;
      out.push({ object: role.item.id, pointer: i >= 0 && i < raw ? `/rules/${i}` : role.aggregated ? '/aggregationRule' : '/rules', detail, role: 'cause' });
    }
  }
  return out;
}

const namespaceIndex = new WeakMap<RbacIndex, Map<string, string[]>>();

/**
 * Namespaces where some RoleBinding applies to the identity, sorted: the same answer as
 * `RbacIndex.namespacesWithBindingsFor`, from a subject → namespaces index built once (that
 * method scans every namespace per identity, quadratic on large clusters).
 */
function namespacesWithBindings(index: RbacIndex, info: UserInfo): string[] {
  let byKey = namespaceIndex.get(index);
  if (!byKey) {
    const sets = new Map<string, Set<string>>();
    for (const [ns, list] of index.roleBindingsByNamespace) {
      for (const b of list) {
        for (const s of b.subjects) {
          if (s.unmatchable) continue;
          const key = s.kind === 'User' ? `u:${s.name}` : s.kind === 'Group' ? `g:${s.name}` : s.kind === 'ServiceAccount' && (s.namespace || ns) ? `u:${serviceAccountUsername(s.namespace || ns, s.name)}` : undefined;
          if (!key) continue;
          let set = sets.get(key);
          if (!set) sets.set(key, (set = new Set()));
          set.add(ns);
        }
      }
    }
    byKey = new Map([...sets].map(([k, v]) => [k, [...v].sort()]));
    namespaceIndex.set(index, byKey);
  }
  const keys = requestKeys(info);
  if (keys.length === 1) return byKey.get(keys[0]!) ?? [];
  const out = new Set<string>();
  for (const k of keys) for (const ns of byKey.get(k) ?? []) out.add(ns);
  return [...out].sort();
}

/** Adds the abilities of one subject (its vertex `from`). */
export function addSubjectAbilities(b: GraphBuilder, index: RbacIndex, bindings: Map<string, BindingEntry>, subject: Subject, from: number): void {
  const info = userInfoFor(subject);
  const clusterBindings = index.clusterBindingsFor(info);
  const namespaces = namespacesWithBindings(index, info);
  const superuser = index.superuserGroup && info.groups.includes('system:masters');
  if (clusterBindings.length === 0 && namespaces.length === 0 && !superuser) return;
  const clusterWide = new Set<Ability>();
  const clusterKey = roleSetKey(index, info, '');
  // the identity's bindings read once: questions whose verb none of its rules names need no authorizer
  const identity = new CompiledIdentity(index, info);
  for (const ability of ABILITIES) {
    const grants = allowed(index, info, ability, '', clusterKey, identity);
    if (!grants) continue;
    clusterWide.add(ability);
    const ev = grantEvidence(index, bindings, grants, ability.detail);
    const where = ability.scope === 'namespaced' ? ' in every namespace' : '';
    for (const t of ability.targets) b.abilityEdge(from, t, '*', ability.edge, ability.weight, ability.detail + where, ev);
  }
  for (const ns of namespaces) {
    const nsKey = roleSetKey(index, info, ns);
    for (const ability of ABILITIES) {
      if (ability.scope !== 'namespaced' || clusterWide.has(ability)) continue;
      const grants = allowed(index, info, ability, ns, nsKey, identity);
      if (!grants) continue;
      const ev = grantEvidence(index, bindings, grants, ability.detail);
      for (const t of ability.targets) b.abilityEdge(from, t, ns, ability.edge, ability.weight, `${ability.detail} in namespace ${ns}`, ev);
    }
  }
}

/** Can this identity read the logs of pods in the namespace (`get pods/log`)? */
export function canReadPodLogs(index: RbacIndex, subject: Subject, namespace: string): Grant[] | undefined {
  const info = userInfoFor(subject);
  let cache = decisionCache.get(index);
  if (!cache) decisionCache.set(index, (cache = new Map()));
  const key = `pods/log|${roleSetKey(index, info, namespace)}`;
  if (cache.get(key) === false) return undefined;
  const d = authorize(index, { ...info, verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace, name: '' });
  cache.set(key, d.allowed);
  return d.allowed ? d.grants : undefined;
}
