/**
 * Oracle: kordon's RBAC authorizer against a real kube-apiserver.
 *
 * A seeded generator writes 200 random RBAC configurations (roles, cluster roles with
 * aggregation, role and cluster role bindings, users, groups and service accounts,
 * resourceNames, subresources, wildcards, non-resource URLs), applies them to the API
 * server, reads every RBAC object back (including the bootstrap policy), and asks the same
 * questions to the server (SubjectAccessReview) and to `authorize()`. Every answer must agree.
 *
 * The harness runs no controller-manager, so the server does not aggregate ClusterRoles:
 * aggregated roles are sent with their rules pre-merged by kordon's aggregator, and the
 * read-back index takes the stored rules as they are.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { acquireControlPlane, type ControlPlaneInfo } from '../support/controlplane.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { RbacIndex, rbacIndexOf } from '../../src/rbac/model.js';
import { shippedVersionFor } from '../../src/rbac/bootstrap/index.js';
import { authorize } from '../../src/rbac/authorize.js';
import { whoCan } from '../../src/rbac/who-can.js';
import { aggregateClusterRoles, type LabelSelector } from '../../src/rbac/aggregation.js';
import { normalizeRule } from '../../src/rbac/match.js';
import type { RequestAttributes } from '../../src/rbac/types.js';
import { prng } from '../support/prng.js';

const SEED = 0x6b6f72;
const CONFIGS = 200;
const QUESTIONS_PER_CONFIG = 60;
const RUN = randomBytes(3).toString('hex');
const PREFIX = `ko${RUN}`;
const RUN_LABEL = 'kordon.dev/rbac-oracle-run';


const rand = prng(SEED);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;
const some = <T,>(xs: readonly T[], min: number, max: number): T[] => {
  const n = min + Math.floor(rand() * (max - min + 1));
  const out = new Set<T>();
  for (let i = 0; i < n * 3 && out.size < n; i++) out.add(pick(xs));
  return [...out];
};

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'bind', 'escalate', '*'];
const GROUPS = ['', 'apps', 'rbac.authorization.k8s.io', '*'];
const RESOURCES = ['pods', 'pods/log', 'pods/*', '*/log', '*', 'secrets', 'deployments', 'deployments/scale', '*/scale', 'nodes', 'configmaps', 'roles', 'users', 'groups', 'pods/exec'];
const NAMES = ['n1', 'n2'];
const URLS = ['/healthz', '/healthz/*', '/api*', '/metrics', '*', '/logs/*', '/apis/**'];
const URL_VERBS = ['get', 'post', '*'];

type Rule = Record<string, string[]>;

function randomRule(clusterScoped: boolean): Rule {
  if (clusterScoped && chance(0.2)) return { verbs: some(URL_VERBS, 1, 2), nonResourceURLs: some(URLS, 1, 2) };
  const rule: Rule = { verbs: some(VERBS, 1, 3), apiGroups: some(GROUPS, 1, 2), resources: some(RESOURCES, 1, 2) };
  if (chance(0.3)) rule['resourceNames'] = some(NAMES, 1, 2);
  return rule;
}

interface Config {
  objects: K8sObject[];
  namespaces: string[];
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

function meta(name: string, namespace?: string, labels: Record<string, string> = {}): K8sObject['metadata'] {
  return { name, ...(namespace ? { namespace } : {}), labels: { [RUN_LABEL]: RUN, ...labels } };
}

function generate(c: number): Config {
  const p = `${PREFIX}-c${c}`;
  const namespaces = [`${p}-a`, `${p}-b`];
  const users = [0, 1, 2].map((i) => `${p}-u${i}`);
  const groups = [0, 1].map((i) => `${p}-g${i}`);
  const serviceAccounts = ['sa0', 'sa1'];
  const objects: K8sObject[] = [];
  const aggLabel = `kordon.dev/agg-${p}`;
  const clusterRoles: Array<{ name: string; labels: Record<string, string>; rules: Rule[]; selectors?: LabelSelector[] }> = [];
  const nClusterRoles = 2 + Math.floor(rand() * 3);
  for (let i = 0; i < nClusterRoles; i++) {
    const labels: Record<string, string> = chance(0.5) ? { [aggLabel]: pick(['x', 'y']) } : {};
    const aggregated = i === 0 && chance(0.4);
    const selectors: LabelSelector[] | undefined = aggregated
      ? [chance(0.5) ? { matchLabels: { [aggLabel]: 'x' } } : { matchExpressions: [{ key: aggLabel, operator: pick(['In', 'Exists']), values: ['x', 'y'] }].map((e) => (e.operator === 'Exists' ? { key: e.key, operator: e.operator } : e)) }]
      : undefined;
    const rules = aggregated ? [] : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomRule(true));
    clusterRoles.push({ name: `${p}-cr${i}`, labels, rules, ...(selectors ? { selectors } : {}) });
  }
  const merged = aggregateClusterRoles(clusterRoles.map((r) => ({ name: r.name, labels: r.labels, rules: r.rules.map(normalizeRule), selectors: r.selectors })));
  for (const r of clusterRoles) {
    const rules = r.selectors ? merged.get(r.name)!.map(compactRule) : r.rules;
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(r.name, undefined, r.labels), rules, ...(r.selectors ? { aggregationRule: { clusterRoleSelectors: r.selectors } } : {}) });
  }
  const roleNames: Record<string, string[]> = {};
  for (const ns of namespaces) {
    roleNames[ns] = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      roleNames[ns]!.push(`role${i}`);
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(`role${i}`, ns), rules: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomRule(false)) });
    }
  }
  const subject = (bindingNs: string | undefined): Record<string, string> => {
    const k = rand();
    if (k < 0.3) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: pick(users) };
    if (k < 0.55) return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: pick(groups) };
    if (k < 0.85) {
      // A RoleBinding may leave the namespace empty: the authorizer defaults it to the binding's.
      if (bindingNs && chance(0.3)) return { kind: 'ServiceAccount', name: pick(serviceAccounts) };
      return { kind: 'ServiceAccount', name: pick(serviceAccounts), namespace: pick(namespaces) };
    }
    // Broad groups only inside our own namespaces (the server is shared with other tests).
    if (bindingNs) return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: pick(['system:authenticated', 'system:serviceaccounts', `system:serviceaccounts:${pick(namespaces)}`]) };
    return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${pick(namespaces)}` };
  };
  const nRoleBindings = 2 + Math.floor(rand() * 4);
  for (let i = 0; i < nRoleBindings; i++) {
    const ns = pick(namespaces);
    const toRole = chance(0.5);
    const roleRef = toRole
      ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: chance(0.9) ? pick(roleNames[ns]!) : 'missing-role' }
      : { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: chance(0.9) ? pick(clusterRoles).name : `${p}-missing` };
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`rb${i}`, ns), roleRef, subjects: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => subject(ns)) });
  }
  const nClusterBindings = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < nClusterBindings; i++) {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(`${p}-crb${i}`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pick(clusterRoles).name },
      subjects: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => subject(undefined)),
    });
  }
  return { objects, namespaces, users, groups, serviceAccounts };
}

function compactRule(r: ReturnType<typeof normalizeRule>): Rule {
  const out: Rule = { verbs: r.verbs };
  for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) if (r[k].length) out[k] = r[k];
  return out;
}

/** The identity a binding subject stands for (plus some random extra groups). */
function identityOf(s: Record<string, string>, bindingNs: string | undefined, cfg: Config): { user: string; groups: string[] } {
  const groups = cfg.groups.filter(() => chance(0.2));
  if (s['kind'] === 'User') return { user: s['name']!, groups };
  if (s['kind'] === 'Group') {
    const g = s['name']!;
    const m = /^system:serviceaccounts:(.+)$/.exec(g);
    return { user: m ? `system:serviceaccount:${m[1]}:${pick(cfg.serviceAccounts)}` : pick(cfg.users), groups: [...groups, g] };
  }
  const ns = s['namespace'] || bindingNs || pick(cfg.namespaces);
  return { user: `system:serviceaccount:${ns}:${s['name']}`, groups: chance(0.5) ? [...groups, 'system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] : groups };
}

const concrete = (v: string, choices: readonly string[]): string => (v === '*' ? pick(choices) : v);

/**
 * A question aimed at a rule some binding gives (so that many answers are "allowed"),
 * with one field changed now and then (the near misses that find bugs).
 */
function targetedQuestion(cfg: Config): RequestAttributes | undefined {
  const bindings = cfg.objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  const b = pick(bindings);
  const ref = b['roleRef'] as { kind: string; name: string };
  const role = cfg.objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.kind === 'ClusterRole' || o.metadata.namespace === b.metadata.namespace));
  const rules = (role?.['rules'] as Rule[] | undefined) ?? [];
  if (rules.length === 0) return undefined;
  const rule = pick(rules);
  const who = identityOf(pick(b['subjects'] as Array<Record<string, string>>), b.metadata.namespace, cfg);
  const mutate = chance(0.3) ? pick(['verb', 'group', 'resource', 'name', 'namespace', 'path']) : '';
  const verb = mutate === 'verb' ? pick(VERBS) : concrete(pick(rule['verbs']!), VERBS.filter((v) => v !== '*'));
  if (rule['nonResourceURLs']) {
    const url = pick(rule['nonResourceURLs']);
    const path = mutate === 'path' ? pick(['/healthz', '/api', '/apis/a', '/metrics/x']) : url.endsWith('*') ? url.replace(/\*+$/, '') + pick(['', 'x', '/y']) : url;
    return { ...who, verb, path };
  }
  const [resource, subresource = ''] = concrete(pick(rule['resources']!), ['pods', 'secrets', 'nodes', 'pods/log', 'deployments/scale']).split('/');
  const names = rule['resourceNames'];
  return {
    ...who,
    verb,
    apiGroup: mutate === 'group' ? pick(['', 'apps', 'batch']) : concrete(pick(rule['apiGroups']!), ['', 'apps', 'batch', 'rbac.authorization.k8s.io']),
    resource: mutate === 'resource' ? pick(['pods', 'secrets']) : resource === '*' ? pick(['pods', 'secrets', 'nodes']) : resource!,
    subresource: mutate === 'resource' ? pick(['', 'log']) : subresource === '*' ? pick(['*', 'log', 'status']) : subresource,
    name: mutate === 'name' || !names ? pick(['', 'n1', 'n3']) : pick(names),
    namespace: mutate === 'namespace' ? pick([...cfg.namespaces, '']) : b.metadata.namespace ?? pick([...cfg.namespaces, '']),
  };
}

function questions(cfg: Config, all: Config[]): RequestAttributes[] {
  const out: RequestAttributes[] = [];
  for (let attempt = 0; attempt < QUESTIONS_PER_CONFIG * 4 && out.length < QUESTIONS_PER_CONFIG / 2; attempt++) {
    const q = targetedQuestion(cfg);
    if (q) out.push(q);
  }
  while (out.length < QUESTIONS_PER_CONFIG) {
    const other = pick(all);
    let user: string;
    const groups: string[] = [];
    const k = rand();
    if (k < 0.45) user = pick(chance(0.9) ? cfg.users : other.users);
    else user = `system:serviceaccount:${pick(chance(0.9) ? cfg.namespaces : other.namespaces)}:${pick([...cfg.serviceAccounts, 'sa9'])}`;
    for (const g of cfg.groups) if (chance(0.35)) groups.push(g);
    if (chance(0.5)) groups.push('system:authenticated');
    if (user.startsWith('system:serviceaccount:') && chance(0.7)) groups.push('system:serviceaccounts', `system:serviceaccounts:${user.split(':')[2]}`);
    if (chance(0.01)) groups.push('system:masters');
    if (chance(0.15)) {
      out.push({ user, groups, verb: pick(['get', 'post', 'put', '*']), path: pick(['/healthz', '/healthz/ready', '/api', '/apis', '/apis/x/y', '/apix', '/metrics', '/logs/x', '/version', '/livez', '/']) });
    } else {
      out.push({
        user,
        groups,
        verb: pick([...VERBS, 'proxy']),
        apiGroup: pick(['', 'apps', 'rbac.authorization.k8s.io', 'batch']),
        resource: pick(['pods', 'secrets', 'deployments', 'nodes', 'configmaps', 'roles', 'users', 'groups']),
        subresource: pick(['', '', '', 'log', 'scale', 'exec', '*']),
        name: pick(['', '', 'n1', 'n2', 'n3']),
        namespace: pick([...cfg.namespaces, ...cfg.namespaces, '', pick(other.namespaces)]),
      });
    }
  }
  return out;
}

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
let agent: https.Agent;

function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, cp.server), {
      method,
      agent,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function pool<T, R>(items: readonly T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

function pathFor(o: K8sObject): string {
  const plural = { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' }[o.kind]!;
  return o.metadata.namespace ? `/apis/rbac.authorization.k8s.io/v1/namespaces/${o.metadata.namespace}/${plural}` : `/apis/rbac.authorization.k8s.io/v1/${plural}`;
}

async function readBack(): Promise<K8sObject[]> {
  const out: K8sObject[] = [];
  for (const [plural, kind] of [['clusterroles', 'ClusterRole'], ['clusterrolebindings', 'ClusterRoleBinding'], ['roles', 'Role'], ['rolebindings', 'RoleBinding']] as const) {
    const r = await call('GET', `/apis/rbac.authorization.k8s.io/v1/${plural}`);
    assert.equal(r.status, 200, r.text);
    for (const item of r.body.items as K8sObject[]) out.push({ ...item, apiVersion: 'rbac.authorization.k8s.io/v1', kind });
  }
  return out;
}

/** Asks the API server (SubjectAccessReview) and kordon's authorizer the same questions. */
async function askBoth(index: RbacIndex, asked: readonly RequestAttributes[]): Promise<{ answers: boolean[]; agree: number; allowed: number; disagreements: string[] }> {
  const answers = await pool(asked, 16, async (q) => {
    const r = await call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar(q));
    assert.equal(r.status, 201, r.text);
    return Boolean(r.body.status.allowed);
  });
  let agree = 0;
  let allowed = 0;
  const disagreements: string[] = [];
  asked.forEach((q, i) => {
    const ours = authorize(index, q).allowed;
    if (answers[i]) allowed++;
    if (ours === answers[i]) agree++;
    else if (disagreements.length < 10) disagreements.push(`server=${answers[i]} kordon=${ours} ${JSON.stringify(q)}`);
  });
  return { answers, agree, allowed, disagreements };
}

function sar(q: RequestAttributes): object {
  const spec: Record<string, unknown> = { user: q.user, groups: q.groups };
  if (q.path !== undefined) spec['nonResourceAttributes'] = { path: q.path, verb: q.verb };
  else spec['resourceAttributes'] = { verb: q.verb, group: q.apiGroup, resource: q.resource, subresource: q.subresource, name: q.name, namespace: q.namespace, version: 'v1' };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
}

describe('RBAC oracle: authorize() agrees with kube-apiserver', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    const cred = cp.credentials['admin']!;
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: readFileSync(cp.caFile),
      ...(cred.certFile && cred.keyFile ? { cert: readFileSync(cred.certFile), key: readFileSync(cred.keyFile) } : {}),
    });
  });

  after(async () => {
    if (cp) {
      for (const plural of ['clusterrolebindings', 'clusterroles']) {
        await call('DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}?labelSelector=${encodeURIComponent(`${RUN_LABEL}=${RUN}`)}`).catch(() => undefined);
      }
      const ns = await call('GET', `/api/v1/namespaces?labelSelector=${encodeURIComponent(`${RUN_LABEL}=${RUN}`)}`).catch(() => undefined);
      for (const item of (ns?.body?.items ?? []) as K8sObject[]) await call('DELETE', `/api/v1/namespaces/${item.metadata.name}`).catch(() => undefined);
    }
    agent?.destroy();
    await release();
  });

  it('answers ≥10,000 SubjectAccessReviews over 200 random configurations identically', async () => {
    const configs = Array.from({ length: CONFIGS }, (_, c) => generate(c));
    const asked = configs.flatMap((cfg) => questions(cfg, configs));
    assert.ok(asked.length >= 10_000);

    const namespaces = configs.flatMap((c) => c.namespaces);
    await pool(namespaces, 8, async (name) => {
      const r = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [RUN_LABEL]: RUN } } });
      assert.equal(r.status, 201, r.text);
    });
    const objects = configs.flatMap((c) => c.objects);
    // Roles before bindings is not required by the API, but cluster roles first keeps it tidy.
    await pool(objects, 8, async (o) => {
      const r = await call('POST', pathFor(o), o);
      assert.equal(r.status, 201, `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r.text}`);
    });

    const stored = await readBack();
    const inv = new Inventory(stored.map((object) => ({ object, origin: { source: 'cluster:oracle', documentIndex: 0, itemPointer: '', line: 1, column: 1, via: 'cluster' as const } })));
    const index = RbacIndex.fromInventory(inv, { aggregate: false });

    const { answers, agree, allowed, disagreements } = await askBoth(index, asked);
    const pct = ((100 * agree) / asked.length).toFixed(2);
    console.log(`rbac oracle: ${agree}/${asked.length} answers agree (${pct}%), ${allowed} allowed, ${configs.length} configurations, ${objects.length} RBAC objects`);
    assert.deepEqual(disagreements, []);
    assert.equal(agree, asked.length);
    // who-can, asked the same questions, must list one of the asker's identities exactly when
    // the server allowed the request.
    let whoCanAgree = 0;
    const whoCanMisses: string[] = [];
    asked.forEach((q, i) => {
      const result =
        q.path !== undefined
          ? whoCan(index, { verb: q.verb, path: q.path })
          : whoCan(index, { verb: q.verb, apiGroup: q.apiGroup, resource: q.resource, subresource: q.subresource ?? '', name: q.name ?? '', namespace: q.namespace ?? '' });
      const listed = result.subjects.some((s) =>
        s.kind === 'Group' ? q.groups.includes(s.name) : s.kind === 'User' ? s.name === q.user : `system:serviceaccount:${s.namespace}:${s.name}` === q.user,
      );
      if (listed === answers[i]) whoCanAgree++;
      else if (whoCanMisses.length < 10) whoCanMisses.push(`server=${answers[i]} who-can=${listed} ${JSON.stringify(q)}`);
    });
    console.log(`rbac oracle: who-can agrees on ${whoCanAgree}/${asked.length} answers`);
    assert.deepEqual(whoCanMisses, []);
    // The sample must exercise both answers, or agreement means little.
    assert.ok(allowed > asked.length * 0.1 && allowed < asked.length * 0.9, `allowed ${allowed} of ${asked.length}`);
  });
  it('bindings to built-in roles that the input lacks resolve like the server\'s bootstrap policy (and its bindings count)', async () => {
    // A "repository": namespaces and bindings to bootstrap roles it never defines. The index is
    // built from these objects alone (rbacIndexOf adds the shipped policy of the server's minor);
    // the server has its own bootstrap policy. Aggregated roles (admin, edit, view) have no rules
    // on a server without controller-manager, so bindings go to the roles they aggregate
    // (system:aggregate-to-*) and to every other non-aggregated bootstrap role.
    const version = await call('GET', '/version');
    const shipped = shippedVersionFor(`v${version.body.major}.${version.body.minor}`);
    assert.equal(shipped.exact, true);
    const bootstrap = shipped.data.objects;
    const clusterRoles = bootstrap.filter((o) => o.kind === 'ClusterRole' && !o.aggregationRule);
    const roles = bootstrap.filter((o) => o.kind === 'Role');
    const r2 = prng(SEED + 1);
    const pick2 = <T,>(xs: readonly T[]): T => xs[Math.floor(r2() * xs.length)]!;
    const p = `${PREFIX}-bi`;
    const namespaces = [`${p}-a`, `${p}-b`];
    const users = [0, 1, 2, 3].map((i) => `${p}-u${i}`);
    const groups = [0, 1].map((i) => `${p}-g${i}`);
    const objects: K8sObject[] = [];
    const subjectOf = (): Record<string, string> => {
      const k = r2();
      if (k < 0.4) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: pick2(users) };
      if (k < 0.7) return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: pick2(groups) };
      return { kind: 'ServiceAccount', name: 'app', namespace: pick2(namespaces) };
    };
    // every non-aggregated bootstrap ClusterRole bound once, alternately cluster-wide and in a namespace
    clusterRoles.forEach((role, i) => {
      const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name };
      const subjects = [subjectOf(), subjectOf()];
      if (i % 2 === 0) objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(`${p}-crb${i}`), roleRef, subjects });
      else objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`rb${i}`, pick2(namespaces)), roleRef, subjects });
    });
    // bootstrap Roles (kube-system, kube-public), bound in their own namespace
    roles.forEach((role, i) => {
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`${p}-rb${i}`, role.metadata.namespace), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name }, subjects: [subjectOf()] });
    });
    for (const name of namespaces) {
      const r = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [RUN_LABEL]: RUN } } });
      assert.equal(r.status, 201, r.text);
    }
    await pool(objects, 8, async (o) => {
      const r = await call('POST', pathFor(o), o);
      assert.equal(r.status, 201, `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r.text}`);
    });

    const identities = [
      ...users.map((user) => ({ user, groups: ['system:authenticated', ...groups.filter(() => r2() < 0.4)] })),
      ...namespaces.map((ns) => ({ user: `system:serviceaccount:${ns}:app`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] })),
      { user: 'system:anonymous', groups: ['system:unauthenticated'] },
      { user: `${p}-nobody`, groups: ['system:authenticated'] },
    ];
    const nsChoices = [...namespaces, '', 'kube-system', 'kube-public'];
    const asked: RequestAttributes[] = [];
    // questions aimed at the shipped rules (wrong data would be denied by the server), and random ones
    const ruleSources = [...clusterRoles, ...roles];
    for (let i = 0; i < 3000; i++) {
      const who = pick2(identities);
      const role = pick2(ruleSources);
      const rules = role.rules ?? [];
      const rule = rules.length && r2() < 0.8 ? pick2(rules) : undefined;
      if (rule?.['nonResourceURLs']) {
        const url = pick2(rule['nonResourceURLs']);
        asked.push({ ...who, verb: pick2(rule['verbs']!), path: url.endsWith('*') ? url.slice(0, -1) + pick2(['', 'x']) : url });
        continue;
      }
      const verb = rule ? pick2(rule['verbs']!) : pick2(VERBS);
      const [resource, subresource = ''] = (rule ? pick2(rule['resources'] ?? ['pods']) : pick2(['pods', 'secrets', 'nodes', 'pods/exec', 'deployments/scale', 'configmaps', 'leases'])).split('/');
      asked.push({
        ...who,
        verb: verb === '*' ? pick2(VERBS.filter((v) => v !== '*')) : verb,
        apiGroup: rule ? (pick2(rule['apiGroups'] ?? ['']) === '*' ? pick2(['', 'apps']) : pick2(rule['apiGroups'] ?? [''])) : pick2(['', 'apps', 'coordination.k8s.io']),
        resource: resource === '*' ? pick2(['pods', 'secrets']) : resource!,
        subresource: subresource === '*' ? 'status' : subresource,
        name: rule?.['resourceNames'] ? pick2(rule['resourceNames']) : pick2(['', '', 'n1']),
        namespace: role.kind === 'Role' && r2() < 0.7 ? role.metadata.namespace! : pick2(nsChoices),
      });
    }
    const inv = new Inventory(objects.map((object) => ({ object, origin: { source: 'repo.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 } })));
    const index = rbacIndexOf(inv, { kubeVersion: shipped.data.minor, bindings: true });
    assert.deepEqual(index.missingRoles, [], 'every bootstrap role resolves');
    const { answers, agree, allowed, disagreements } = await askBoth(index, asked);
    console.log(`rbac oracle (built-in roles from the shipped ${shipped.data.minor} policy): ${agree}/${asked.length} answers agree (${((100 * agree) / asked.length).toFixed(2)}%), ${allowed} allowed, ${clusterRoles.length} bootstrap ClusterRoles and ${roles.length} Roles bound`);
    assert.deepEqual(disagreements, []);
    assert.ok(allowed > asked.length * 0.2 && allowed < asked.length * 0.95, `allowed ${allowed} of ${asked.length}`);
    // clean up the namespaced bindings made in kube-system and kube-public
    for (const o of objects) if (o.kind === 'RoleBinding' && !namespaces.includes(o.metadata.namespace!)) await call('DELETE', `${pathFor(o)}/${o.metadata.name}`).catch(() => undefined);
  });
});
