/**
 * Escalation paths: from an identity, which other identities (and powers) it can reach, step
 * by step, and the grants that enable each step. Moves modelled:
 *
 * - impersonate a user, group (system:masters included) or service account;
 * - create a pod (or any pod controller) in a namespace → run as any service account there;
 * - exec/attach into a workload's pods → act as the service account the workload runs as;
 * - read a `kubernetes.io/service-account-token` Secret → act as its service account;
 * - create `serviceaccounts/token` → act as that service account;
 * - bind a role (bind + create bindings) or escalate a role it holds (escalate + update);
 * - create and approve a CSR for the kube-apiserver-client signer → any identity;
 * - nodes/proxy → the kubelet API: exec into any pod on any node.
 *
 * A reached identity is reported when it holds a binding the start does not (or a cloud
 * identity). The search is breadth-first with a depth limit, so each identity is reported with
 * a shortest path.
 */
import type { Inventory } from '../inventory/inventory.js';
import { podSpecOf } from '../inventory/podspec.js';
import { CompiledIdentity, authorize } from './authorize.js';
import { SUPERUSER_GROUP, cmp, serviceAccountUsername, userInfoFor, type RbacIndex } from './model.js';
import { POD_CONTROLLER_RESOURCES } from './resources.js';
import type { Grant, ResourceRequest, Subject, UserInfo } from './types.js';

export const CLOUD_IDENTITY_ANNOTATIONS = ['eks.amazonaws.com/role-arn', 'iam.gke.io/gcp-service-account', 'azure.workload.identity/client-id'] as const;

export type EscalationAction =
  | 'impersonate'
  | 'create-pod'
  | 'exec-into-pod'
  | 'read-token-secret'
  | 'create-token'
  | 'bind-role'
  | 'escalate-role'
  | 'approve-csr'
  | 'kubelet-proxy';

export interface EscalationStep {
  action: EscalationAction;
  /** What the step does, in words. */
  description: string;
  /** The identity after the step (`user:x`, `sa:ns/name`, `group:system:masters`, or `<from> + <role>`). */
  to: string;
  namespace?: string;
  /** The grants that allow the step (each request it needs, first grant of each). */
  grants: Grant[];
}

export interface EscalationPath {
  /** The identity reached. */
  target: string;
  /** True when the target can do everything (system:masters or `*` on `*` cluster-wide). */
  clusterAdmin: boolean;
  /** Bindings the target holds that the start does not (`Kind/ns/name`). */
  gainedBindings: string[];
  cloudIdentity?: string;
  steps: EscalationStep[];
}

export interface EscalationResult {
  start: string;
  startIsClusterAdmin: boolean;
  paths: EscalationPath[];
  /** True when the search stopped at maxPaths (more identities are reachable). */
  truncated: boolean;
}

export interface EscalationOptions {
  /** Longest path searched (default 3). */
  maxDepth?: number;
  /** Stop after this many reached identities (default 1000); the result says it was truncated. */
  maxPaths?: number;
}

interface Node {
  label: string;
  info: UserInfo;
  steps: EscalationStep[];
}

interface KnownServiceAccount {
  namespace: string;
  name: string;
  cloudIdentity?: string;
}

/** The service accounts a workload runs as, per namespace: from ServiceAccount objects, bindings and pod specs. */
function knownServiceAccounts(index: RbacIndex, inv: Inventory | undefined): Map<string, KnownServiceAccount> {
  const out = new Map<string, KnownServiceAccount>();
  const add = (namespace: string, name: string, cloudIdentity?: string): void => {
    const key = `${namespace}/${name}`;
    const cur = out.get(key);
    if (!cur) out.set(key, { namespace, name, ...(cloudIdentity ? { cloudIdentity } : {}) });
    else if (cloudIdentity && !cur.cloudIdentity) cur.cloudIdentity = cloudIdentity;
  };
  for (const b of index.bindings) for (const s of b.subjects) if (s.kind === 'ServiceAccount' && s.namespace) add(s.namespace, s.name);
  if (inv) {
    for (const item of inv.byKind('ServiceAccount')) {
      const a = item.object.metadata.annotations ?? {};
      const cloud = CLOUD_IDENTITY_ANNOTATIONS.map((k) => a[k]).find((v) => typeof v === 'string' && v !== '');
      add(inv.namespaceOf(item.object) ?? 'default', item.object.metadata.name ?? '', cloud);
    }
  }
  return out;
}

/** Workload service accounts per namespace: `ns` → [{ workload, serviceAccount }]. */
function workloadAccounts(inv: Inventory | undefined): Map<string, Array<{ workload: string; serviceAccount: string; podName?: string }>> {
  const out = new Map<string, Array<{ workload: string; serviceAccount: string; podName?: string }>>();
  if (!inv) return out;
  for (const item of inv.objects) {
    const ps = podSpecOf(item.object);
    if (!ps) continue;
    const ns = inv.namespaceOf(item.object) ?? 'default';
    const sa = ps.spec.serviceAccountName || ps.spec.serviceAccount || 'default';
    const list = out.get(ns) ?? [];
    list.push({ workload: `${item.object.kind}/${item.object.metadata.name ?? ''}`, serviceAccount: sa, ...(item.object.kind === 'Pod' && item.object.metadata.name ? { podName: item.object.metadata.name } : {}) });
    out.set(ns, list);
  }
  return out;
}

export function isClusterAdmin(index: RbacIndex, info: UserInfo): boolean {
  return authorize(index, { ...info, verb: '*', apiGroup: '*', resource: '*', namespace: '' }).allowed;
}

export function escalationPaths(index: RbacIndex, start: UserInfo, opts: EscalationOptions = {}): EscalationResult {
  const inv = index.inventory;
  const maxDepth = opts.maxDepth ?? 3;
  const maxPaths = opts.maxPaths ?? 1000;
  let truncated = false;
  const serviceAccounts = knownServiceAccounts(index, inv);
  const workloads = workloadAccounts(inv);
  const namespaces = [...new Set([...(inv?.namespaces() ?? []), ...[...serviceAccounts.values()].map((s) => s.namespace), ...index.roleBindingsByNamespace.keys()])].sort();
  const tokenSecrets: Array<{ namespace: string; name: string; serviceAccount: string }> = [];
  for (const item of inv?.byKind('Secret') ?? []) {
    if (item.object['type'] !== 'kubernetes.io/service-account-token') continue;
    const sa = item.object.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (sa) tokenSecrets.push({ namespace: inv!.namespaceOf(item.object) ?? 'default', name: item.object.metadata.name ?? '', serviceAccount: sa });
  }
  const tokenSecretsByNamespace = new Map<string, typeof tokenSecrets>();
  for (const t of tokenSecrets) tokenSecretsByNamespace.set(t.namespace, [...(tokenSecretsByNamespace.get(t.namespace) ?? []), t]);
  const accountsByNamespace = new Map<string, KnownServiceAccount[]>();
  for (const sa of serviceAccounts.values()) {
    const list = accountsByNamespace.get(sa.namespace) ?? [];
    list.push(sa);
    accountsByNamespace.set(sa.namespace, list);
  }
  // ClusterRoles that allow everything: the bootstrap cluster-admin (present in every real
  // cluster, even when the files do not define it) and any equivalent the files define.
  const adminRoleNames = ['cluster-admin'];
  for (const r of index.roles.values()) if (r.kind === 'ClusterRole' && r.name !== 'cluster-admin' && r.rules.some((x) => x.verbs.includes('*') && x.apiGroups.includes('*') && x.resources.includes('*') && x.resourceNames.length === 0)) adminRoleNames.push(r.name);
  const knownUsers = index.subjects().filter((s) => s.kind === 'User');
  const knownGroups = [...new Set([SUPERUSER_GROUP, ...index.subjects().filter((s) => s.kind === 'Group').map((s) => s.name)])].sort();

  const compiled = new Map<string, CompiledIdentity>();
  const compile = (label: string, info: UserInfo): CompiledIdentity => {
    let c = compiled.get(label);
    if (!c) compiled.set(label, (c = new CompiledIdentity(index, info)));
    return c;
  };
  const startLabel = labelOf(start);
  const startBindings = compile(startLabel, start).bindingKeys();
  const startIsClusterAdmin = isClusterAdmin(index, start);
  const visited = new Set<string>([startLabel]);
  const paths: EscalationPath[] = [];
  let frontier: Node[] = [{ label: startLabel, info: start, steps: [] }];

  for (let depth = 0; depth < maxDepth && frontier.length > 0 && !startIsClusterAdmin && !truncated; depth++) {
    const next: Node[] = [];
    for (const node of frontier) {
      if (truncated) break;
      for (const move of movesFrom(compile(node.label, node.info))) {
        const steps = [...node.steps, move.step];
        const target = compile(move.label, move.info);
        const admin = target.firstGrant({ verb: '*', apiGroup: '*', resource: '*', namespace: '' }) !== undefined;
        const gained = [...target.bindingKeys()].filter((k) => !startBindings.has(k)).sort();
        if (admin || gained.length > 0 || move.cloudIdentity) {
          if (paths.length >= maxPaths) {
            truncated = true;
            break;
          }
          paths.push({ target: move.label, clusterAdmin: admin, gainedBindings: gained, ...(move.cloudIdentity ? { cloudIdentity: move.cloudIdentity } : {}), steps });
        }
        if (!admin) next.push({ label: move.label, info: move.info, steps });
      }
    }
    frontier = next;
  }
  paths.sort((a, b) => Number(b.clusterAdmin) - Number(a.clusterAdmin) || a.steps.length - b.steps.length || cmp(a.target, b.target));
  return { start: startLabel, startIsClusterAdmin, paths, truncated };

  function movesFrom(identity: CompiledIdentity): Array<{ label: string; info: UserInfo; step: EscalationStep; cloudIdentity?: string }> {
    const info = identity.info;
    const out: Array<{ label: string; info: UserInfo; step: EscalationStep; cloudIdentity?: string }> = [];
    const ask = (a: ResourceRequest): Grant[] | undefined => {
      const g = identity.firstGrant(a);
      return g ? [g] : undefined;
    };
    // Each identity is reached once, by the first (shortest) path found: moves to identities
    // already reached are dropped before anything is built for them.
    const toAccount = (sa: KnownServiceAccount, step: () => Omit<EscalationStep, 'to'>): void => {
      const label = `sa:${sa.namespace}/${sa.name}`;
      if (visited.has(label)) return;
      visited.add(label);
      const subject: Subject = { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
      out.push({ label, info: userInfoFor(subject), step: distinctGrants({ ...step(), to: label }), ...(sa.cloudIdentity ? { cloudIdentity: sa.cloudIdentity } : {}) });
    };
    const toIdentity = (label: string, target: () => UserInfo, step: () => Omit<EscalationStep, 'to'>): void => {
      if (visited.has(label)) return;
      visited.add(label);
      out.push({ label, info: target(), step: distinctGrants({ ...step(), to: label }) });
    };
    const superuser = (step: Omit<EscalationStep, 'to'>): void => toIdentity(`group:${SUPERUSER_GROUP}`, () => ({ user: info.user, groups: [...info.groups, SUPERUSER_GROUP] }), () => step);

    // Impersonation.
    const mayImpersonate = identity.mayUse('impersonate');
    if (mayImpersonate) {
      const users = identity.grantsForNames({ verb: 'impersonate', apiGroup: '', resource: 'users', namespace: '' }, knownUsers.map((u) => u.name));
      for (const u of knownUsers) {
        const g = users.get(u.name);
        if (g) toIdentity(`user:${u.name}`, () => userInfoFor(u), () => ({ action: 'impersonate', description: `impersonate user "${u.name}"`, grants: [g] }));
      }
      const groups = identity.grantsForNames({ verb: 'impersonate', apiGroup: '', resource: 'groups', namespace: '' }, knownGroups);
      for (const group of knownGroups) {
        const g = groups.get(group);
        if (!g) continue;
        if (group === SUPERUSER_GROUP) superuser({ action: 'impersonate', description: `impersonate group "${group}"`, grants: [g] });
        else toIdentity(`group:${group}`, () => ({ user: info.user, groups: [...info.groups, group] }), () => ({ action: 'impersonate', description: `impersonate group "${group}"`, grants: [g] }));
      }
    }

    const mayCreate = identity.mayUse('create');
    const mayRead = identity.mayUse('get') || identity.mayUse('list');
    for (const ns of mayCreate || mayRead || mayImpersonate ? namespaces : []) {
      const accounts = accountsByNamespace.get(ns) ?? [];
      const names = accounts.map((a) => a.name);
      if (mayImpersonate) {
        const imp = identity.grantsForNames({ verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: ns }, names);
        for (const sa of accounts) {
          const g = imp.get(sa.name);
          if (g) toAccount(sa, () => ({ action: 'impersonate', description: `impersonate service account "${ns}/${sa.name}"`, namespace: ns, grants: [g] }));
        }
      }
      if (mayCreate) {
        // Create a pod (directly or through a controller) that runs as any service account of the namespace.
        for (const r of POD_CONTROLLER_RESOURCES) {
          const podGrant = ask({ verb: 'create', apiGroup: r.apiGroup, resource: r.resource, namespace: ns });
          if (!podGrant) continue;
          for (const sa of accounts) toAccount(sa, () => ({ action: 'create-pod', description: `create ${r.resource} in namespace "${ns}" with serviceAccountName "${sa.name}"`, namespace: ns, grants: podGrant }));
          break;
        }
        // Mint a token.
        const tokens = identity.grantsForNames({ verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespace: ns }, names);
        for (const sa of accounts) {
          const g = tokens.get(sa.name);
          if (g) toAccount(sa, () => ({ action: 'create-token', description: `create a token for service account "${ns}/${sa.name}" (serviceaccounts/token)`, namespace: ns, grants: [g] }));
        }
        // Exec into a workload's pods (a named Pod, or the pods a controller makes: any name).
        const execAny = ask({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', namespace: ns });
        for (const w of workloads.get(ns) ?? []) {
          const g = w.podName ? ask({ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', name: w.podName, namespace: ns }) : execAny;
          const sa = serviceAccounts.get(`${ns}/${w.serviceAccount}`) ?? { namespace: ns, name: w.serviceAccount };
          if (g) toAccount(sa, () => ({ action: 'exec-into-pod', description: `exec into the pods of ${w.workload} in namespace "${ns}" (service account "${w.serviceAccount}")`, namespace: ns, grants: g }));
        }
      }
      // Read a legacy token Secret.
      const secrets = mayRead ? tokenSecretsByNamespace.get(ns) ?? [] : [];
      if (secrets.length > 0) {
        const list = ask({ verb: 'list', apiGroup: '', resource: 'secrets', namespace: ns });
        const gets = identity.grantsForNames({ verb: 'get', apiGroup: '', resource: 'secrets', namespace: ns }, secrets.map((s) => s.name));
        for (const s of secrets) {
          const get = gets.get(s.name);
          const g = get ? [get] : list;
          const sa = serviceAccounts.get(`${ns}/${s.serviceAccount}`) ?? { namespace: ns, name: s.serviceAccount };
          if (g) toAccount(sa, () => ({ action: 'read-token-secret', description: `read the token in Secret "${ns}/${s.name}"`, namespace: ns, grants: g }));
        }
      }
    }

    // Kubelet API: exec into any pod of any node.
    const proxy = ask({ verb: 'create', apiGroup: '', resource: 'nodes', subresource: 'proxy', namespace: '' });
    if (proxy) {
      for (const [ns, list] of workloads) {
        for (const w of list) {
          const sa = serviceAccounts.get(`${ns}/${w.serviceAccount}`) ?? { namespace: ns, name: w.serviceAccount };
          toAccount(sa, () => ({ action: 'kubelet-proxy', description: `run a command in the pods of ${w.workload} through the kubelet API (nodes/proxy)`, namespace: ns, grants: proxy }));
        }
      }
    }

    // Bind any ClusterRole cluster-wide / escalate a role it holds.
    const crb = ask({ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespace: '' });
    if (crb) {
      for (const name of adminRoleNames) {
        const bind = ask({ verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name, namespace: '' });
        if (!bind) continue;
        superuser({ action: 'bind-role', description: `create a ClusterRoleBinding to ClusterRole "${name}" (bind on clusterroles)`, grants: [...crb, ...bind] });
        break;
      }
    }
    for (const b of index.clusterBindingsFor(info)) {
      if (!b.role || b.role.kind !== 'ClusterRole') continue;
      const esc = ask({ verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: b.role.name, namespace: '' });
      const upd = esc && (ask({ verb: 'update', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: b.role.name, namespace: '' }) ?? ask({ verb: 'patch', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: b.role.name, namespace: '' }));
      if (esc && upd) {
        superuser({ action: 'escalate-role', description: `add any permission to ClusterRole "${b.role.name}", bound to it cluster-wide by ${b.key} (escalate + update)`, grants: [...esc, ...upd] });
        break;
      }
    }

    // Certificates: request and approve a client certificate for any identity.
    const csr = ask({ verb: 'create', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', namespace: '' });
    const approval = csr && ask({ verb: 'update', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval', namespace: '' });
    const signer = approval && ask({ verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/kube-apiserver-client', namespace: '' });
    if (csr && approval && signer) superuser({ action: 'approve-csr', description: 'create and approve a client certificate (signer kubernetes.io/kube-apiserver-client) for group system:masters', grants: [...csr, ...approval, ...signer] });
    return out;
  }
}

/** `user:alice`, `sa:ns/name`, or `group:<g>` for a group-only identity. */
export function labelOf(info: UserInfo): string {
  if (info.user === '') return info.groups.length ? `group:${info.groups[0]}` : 'nobody';
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(info.user);
  if (sa) return `sa:${sa[1]}/${sa[2]}`;
  return `user:${info.user}`;
}

export { serviceAccountUsername };

/** A step's grants, each once (two requests of a step, such as escalate and update, are often allowed by the same rule). */
function distinctGrants(step: EscalationStep): EscalationStep {
  const seen = new Set<string>();
  const grants = step.grants.filter((g) => {
    const key = JSON.stringify([g.binding, g.role, g.namespace ?? '', g.rule]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return grants.length === step.grants.length ? step : { ...step, grants };
}
