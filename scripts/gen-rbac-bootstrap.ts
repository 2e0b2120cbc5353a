/**
 * Generates src/rbac/bootstrap/v<major>.<minor>.ts from a real kube-apiserver: the RBAC bootstrap
 * policy (every object labelled `kubernetes.io/bootstrapping=rbac-defaults`: ClusterRoles,
 * ClusterRoleBindings, Roles, RoleBindings) and the discovery table (`/api`, `/apis`).
 *
 *   node --import tsx scripts/gen-rbac-bootstrap.ts            # starts the test harness's control plane
 *   KORDON_TEST_CONTROLPLANE=cp.json node --import tsx scripts/gen-rbac-bootstrap.ts
 *
 * The harness (test/support/controlplane.ts) runs kube-apiserver with its default API set and
 * feature gates (version pinned in test/support/k8s/versions.env). The reading function is also
 * used by test/live/rbac-bootstrap.test.ts to compare the shipped data with what the server serves.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BootstrapObject, DiscoveredResource, ShippedKubernetesVersion } from '../src/rbac/bootstrap/types.js';

export type Get = (urlPath: string) => Promise<unknown>;

const BOOTSTRAP_SELECTOR = 'kubernetes.io/bootstrapping=rbac-defaults';
const KIND_ORDER = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const PLURAL: Record<(typeof KIND_ORDER)[number], string> = { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An object as served, without what the server sets per cluster (uid, resourceVersion, timestamps, managedFields). */
function clean(kind: BootstrapObject['kind'], o: any): BootstrapObject {
  const m = o.metadata ?? {};
  const out: BootstrapObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), ...(m.labels ? { labels: m.labels } : {}), ...(m.annotations ? { annotations: m.annotations } : {}) },
  };
  if (o.aggregationRule) out.aggregationRule = o.aggregationRule;
  if (kind === 'ClusterRole' || kind === 'Role') out.rules = o.rules ?? [];
  if (o.roleRef) out.roleRef = o.roleRef;
  if (o.subjects) out.subjects = o.subjects;
  return out;
}

export async function readBootstrapObjects(get: Get): Promise<BootstrapObject[]> {
  const out: BootstrapObject[] = [];
  for (const kind of KIND_ORDER) {
    const list = (await get(`${RBAC}/${PLURAL[kind]}?labelSelector=${encodeURIComponent(BOOTSTRAP_SELECTOR)}`)) as { items?: unknown[] };
    const items = (list.items ?? []).map((i) => clean(kind, i));
    items.sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
    out.push(...items);
  }
  return out;
}

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
}

export async function readDiscovery(get: Get): Promise<DiscoveredResource[]> {
  const groupVersions: Array<{ group: string; versions: string[] }> = [];
  const core = (await get('/api')) as { versions?: string[] };
  groupVersions.push({ group: '', versions: core.versions ?? ['v1'] });
  const groups = (await get('/apis')) as { groups?: Array<{ name: string; versions: Array<{ version: string }>; preferredVersion?: { version: string } }> };
  for (const g of groups.groups ?? []) {
    const versions = g.versions.map((v) => v.version);
    const preferred = g.preferredVersion?.version;
    if (preferred) versions.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
    groupVersions.push({ group: g.name, versions });
  }
  const byKey = new Map<string, DiscoveredResource>();
  for (const { group, versions } of groupVersions) {
    const subresources = new Map<string, Set<string>>();
    for (const version of versions) {
      const list = (await get(group === '' ? `/api/${version}` : `/apis/${group}/${version}`)) as { resources?: ApiResource[] };
      for (const r of list.resources ?? []) {
        const slash = r.name.indexOf('/');
        if (slash !== -1) {
          const parent = r.name.slice(0, slash);
          let s = subresources.get(parent);
          if (!s) subresources.set(parent, (s = new Set()));
          s.add(r.name.slice(slash + 1));
          continue;
        }
        const key = `${group}/${r.name}`;
        if (byKey.has(key)) continue;
        byKey.set(key, {
          group,
          version,
          resource: r.name,
          singular: r.singularName || r.kind.toLowerCase(),
          kind: r.kind,
          namespaced: r.namespaced,
          shortNames: [...(r.shortNames ?? [])],
          verbs: [...(r.verbs ?? [])].sort(),
          subresources: [],
        });
      }
    }
    for (const [parent, subs] of subresources) {
      const e = byKey.get(`${group}/${parent}`);
      if (e) e.subresources = [...subs].sort();
    }
  }
  // In the server's order: the core group, then the groups as /apis lists them (kubectl's priority
  // when a name exists in several groups), resources as each group version lists them.
  return [...byKey.values()];
}

export async function readShippedVersion(get: Get): Promise<ShippedKubernetesVersion> {
  const version = (await get('/version')) as { gitVersion: string; major: string; minor: string };
  const minor = `v${version.major}.${version.minor.replace(/\D+$/, '')}`;
  return {
    minor,
    serverVersion: version.gitVersion,
    producedBy: `scripts/gen-rbac-bootstrap.ts: read from kube-apiserver ${version.gitVersion} (test harness, default API set and feature gates): objects labelled ${BOOTSTRAP_SELECTOR}, and /api + /apis discovery`,
    objects: await readBootstrapObjects(get),
    resources: await readDiscovery(get),
  };
}

/**
 * The data file's text: a TypeScript module holding the data as JSON text in a template literal
 * (readable diffs), parsed on first use: JSON.parse is several times faster than an object
 * literal of this size, and commands that never resolve a built-in role do not pay for it.
 */
export function moduleText(data: ShippedKubernetesVersion): string {
  const id = data.minor.replace(/[^0-9]+/g, '_').replace(/^_|_$/g, '');
  const json = JSON.stringify(data, null, 1).replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return [
    `// Generated by scripts/gen-rbac-bootstrap.ts from kube-apiserver ${data.serverVersion}; do not edit by hand.`,
    `// ${data.producedBy}`,
    `import type { ShippedKubernetesVersion } from './types.js';`,
    '',
    `const TEXT = \`${json}\`;`,
    '',
    `let parsed: ShippedKubernetesVersion | undefined;`,
    '',
    `/** The ${data.minor} data (parsed once, on first use). */`,
    `export function k8s_${id}(): ShippedKubernetesVersion {`,
    `  return (parsed ??= JSON.parse(TEXT) as ShippedKubernetesVersion);`,
    `}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { acquireControlPlane, apiRequest } = await import('../test/support/controlplane.js');
  const { cp, release } = await acquireControlPlane();
  try {
    const get: Get = async (p) => {
      const r = await apiRequest(cp, 'admin', 'GET', p);
      if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
      return r.body;
    };
    const data = await readShippedVersion(get);
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'rbac', 'bootstrap', `${data.minor}.ts`);
    writeFileSync(file, moduleText(data));
    process.stdout.write(`wrote ${file}: ${data.objects.length} RBAC objects, ${data.resources.length} resources (from ${data.serverVersion})\n`);
  } finally {
    await release();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
