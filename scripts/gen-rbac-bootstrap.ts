/**
 * Generates src/rbac/bootstrap/data.ts: the RBAC bootstrap policy and the discovery table of every
 * shipped Kubernetes minor version, each from the Kubernetes source of the minor's latest patch
 * release (k8s.io/kubernetes from the Go module proxy).
 *
 *   node --import tsx scripts/gen-rbac-bootstrap.ts                 # the minors in MINORS below
 *   node --import tsx scripts/gen-rbac-bootstrap.ts --minors 30-38  # to add v1.38: then put 38 in MINORS
 *   node --import tsx scripts/gen-rbac-bootstrap.ts --release v1.35.4 ...   # pin patch releases
 *
 * Per release:
 *  - The bootstrap policy: scripts/gen-rbac-bootstrap-go/main.go, built in a module of its own
 *    (k8s.io/kubernetes at the release, its staging modules `k8s.io/api`, ... replaced by their
 *    published v0.MINOR.PATCH, as any program importing k8s.io/kubernetes must), prints
 *    `bootstrappolicy.ClusterRoles() + ControllerRoles()`, `ClusterRoleBindings() +
 *    ControllerRoleBindings()`, `NamespaceRoles()`, `NamespaceRoleBindings()`: what the API
 *    server's RBAC post-start hook creates, with the release's default feature gates. The objects
 *    are normalised exactly as the live path below reads them from a server (`clean`), so the
 *    shipped data is what a kube-apiserver of that release serves. Aggregated roles (admin, edit,
 *    view) are stored as the server stores them (selectors, no rules; kordon aggregates them when
 *    it resolves roles, src/rbac/aggregation.ts); the Go program also computes the rules the
 *    clusterrole-aggregation controller gives them, and the generator fails unless kordon's
 *    aggregation of the shipped objects gives the same rules.
 *  - The discovery table: the release's own discovery documents (api/discovery/*.json in
 *    k8s.io/kubernetes, written by hack/update-openapi-spec.sh from a kube-apiserver of that
 *    release with every API and feature gate on, and checked in CI), read as a server's
 *    `/api` and `/apis`, keeping the group versions served by default (GA versions: since v1.24
 *    no beta or alpha API is on by default) and removing the resources and subresources whose
 *    storage is registered only when a feature gate is on that is off by default in the release
 *    (GATED, gate defaults printed by the Go program).
 *
 * test/live/rbac-bootstrap.test.ts reads the harness's running kube-apiserver (v1.35) with
 * `readShippedVersion` below and asserts that it serves exactly the shipped v1.35 data.
 *
 * Built programs and per-release results are kept in ${KORDON_CACHE_DIR:-~/.cache/kordon}/gen-rbac-bootstrap/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BootstrapObject, DiscoveredResource, ServedKubernetesVersion, ShippedData, ShippedKubernetesVersion } from '../src/rbac/bootstrap/types.js';

export type Get = (urlPath: string) => Promise<unknown>;

/** The shipped minor versions (1.N), newest first. Add the next one here and run the script. */
export const MINORS = [37, 36, 35, 34, 33, 32, 31, 30];

/**
 * Resources and subresources of GA group versions that the API server registers only when a
 * feature gate is on (pkg/registry/<group>/rest/storage_<group>.go). When the release's gate is
 * off by default, they are not served. Checked for v1.30..v1.37:
 *  - `pods/resize`: alpha and off in v1.32, on from v1.33;
 *  - from v1.37 (their group versions' v1 appear in v1.37; before, only beta versions, off by
 *    default, served them): `clustertrustbundles` and `podcertificaterequests` in
 *    certificates.k8s.io/v1 and `storageversionmigrations` in storagemigration.k8s.io/v1, each
 *    behind its gate (GA and on in v1.37).
 * Not gated (the discovery documents have them as served): v1.36's
 * `mutatingadmissionpolicies` and `mutatingadmissionpolicybindings` in
 * admissionregistration.k8s.io/v1, v1.37's `devicetaintrules` in resource.k8s.io/v1 and
 * `csinodes/status`.
 */
const GATED: ReadonlyArray<{ gate: string; group: string; resource: string; subresource?: string }> = [
  { gate: 'InPlacePodVerticalScaling', group: '', resource: 'pods', subresource: 'resize' },
  { gate: 'ClusterTrustBundle', group: 'certificates.k8s.io', resource: 'clustertrustbundles' },
  { gate: 'PodCertificateRequest', group: 'certificates.k8s.io', resource: 'podcertificaterequests' },
  { gate: 'StorageVersionMigrator', group: 'storagemigration.k8s.io', resource: 'storageversionmigrations' },
];

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

/** Each kind's objects cleaned and sorted by namespace and name, the kinds in KIND_ORDER. */
function objectsOf(byKind: Record<(typeof KIND_ORDER)[number], unknown[]>): BootstrapObject[] {
  const out: BootstrapObject[] = [];
  for (const kind of KIND_ORDER) {
    const items = byKind[kind].map((i) => clean(kind, i));
    items.sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
    out.push(...items);
  }
  return out;
}

export async function readBootstrapObjects(get: Get): Promise<BootstrapObject[]> {
  const byKind = {} as Record<(typeof KIND_ORDER)[number], unknown[]>;
  for (const kind of KIND_ORDER) {
    const list = (await get(`${RBAC}/${PLURAL[kind]}?labelSelector=${encodeURIComponent(BOOTSTRAP_SELECTOR)}`)) as { items?: unknown[] };
    byKind[kind] = list.items ?? [];
  }
  return objectsOf(byKind);
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

/** The policy and discovery table a running kube-apiserver serves (the live test's oracle). */
export async function readShippedVersion(get: Get): Promise<ServedKubernetesVersion> {
  const version = (await get('/version')) as { gitVersion: string; major: string; minor: string };
  return {
    minor: `v${version.major}.${version.minor.replace(/\D+$/, '')}`,
    serverVersion: version.gitVersion,
    objects: await readBootstrapObjects(get),
    resources: await readDiscovery(get),
  };
}

const isServedByDefault = (version: string): boolean => /^v\d+$/.test(version);

/**
 * A release's discovery table from its api/discovery documents (file `apis__apps__v1.json` is
 * `/apis/apps/v1`), as a server with the default API set serves it: GA group versions only, and
 * without the subresources of gates that are off by default.
 */
export async function discoveryFromDocuments(dir: string, featureGates: Record<string, boolean>): Promise<DiscoveredResource[]> {
  const get: Get = async (urlPath) => {
    const file = path.join(dir, `${urlPath.replace(/^\//, '').replace(/\//g, '__')}.json`);
    const body = JSON.parse(readFileSync(file, 'utf8'));
    if (urlPath === '/api') body.versions = (body.versions as string[]).filter(isServedByDefault);
    if (urlPath === '/apis') {
      body.groups = (body.groups as Array<{ versions: Array<{ version: string }>; preferredVersion?: { version: string } }>)
        .map((g) => {
          const versions = g.versions.filter((v) => isServedByDefault(v.version));
          const preferredVersion = g.preferredVersion && isServedByDefault(g.preferredVersion.version) ? g.preferredVersion : versions[0];
          return { ...g, versions, preferredVersion };
        })
        .filter((g) => g.versions.length > 0);
    }
    return body;
  };
  let resources = await readDiscovery(get);
  for (const g of GATED) {
    if (featureGates[g.gate] !== false) continue;
    if (g.subresource === undefined) {
      resources = resources.filter((x) => !(x.group === g.group && x.resource === g.resource));
      continue;
    }
    const r = resources.find((x) => x.group === g.group && x.resource === g.resource);
    if (r) r.subresources = r.subresources.filter((s) => s !== g.subresource);
  }
  return resources;
}

function cacheDir(): string {
  return path.join(process.env['KORDON_CACHE_DIR'] || path.join(os.homedir(), '.cache', 'kordon'), 'gen-rbac-bootstrap');
}

const GO_ENV = { ...process.env, CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '-buildvcs=false' };

function go(args: string[], cwd: string): string {
  return execFileSync('go', args, { cwd, env: GO_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The latest patch release of each minor, from the module proxy's list of k8s.io/kubernetes versions. */
function latestReleases(minors: number[]): string[] {
  const out = go(['list', '-m', '-versions', '-json', 'k8s.io/kubernetes'], os.tmpdir());
  const versions = (JSON.parse(out) as { Versions: string[] }).Versions;
  return minors.map((minor) => {
    const patches = versions.map((v) => new RegExp(`^v1\\.${minor}\\.(\\d+)$`).exec(v)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
    if (patches.length === 0) throw new Error(`no release of Kubernetes v1.${minor} on the module proxy`);
    return `v1.${minor}.${Math.max(...patches)}`;
  });
}

interface GoOutput {
  clusterRoles: unknown[];
  clusterRoleBindings: unknown[];
  roles: Record<string, unknown[]>;
  roleBindings: Record<string, unknown[]>;
  aggregated: Record<string, Array<Record<string, string[]>>>;
  featureGates: Record<string, boolean>;
}

/** Builds and runs the Go program against one release; returns its output and the release's module directory. */
function runBootstrapProgram(release: string): { output: GoOutput; moduleDir: string } {
  const info = JSON.parse(go(['mod', 'download', '-json', `k8s.io/kubernetes@${release}`], os.tmpdir())) as { Dir: string; GoMod: string };
  const work = path.join(cacheDir(), release);
  mkdirSync(work, { recursive: true });
  const kubeGoMod = readFileSync(info.GoMod, 'utf8');
  const goDirective = /^go\s+(\S+)/m.exec(kubeGoMod)?.[1] ?? '1.22';
  const staging = [...kubeGoMod.matchAll(/^\s*(?:replace\s+)?(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1]!);
  if (staging.length === 0) throw new Error(`k8s.io/kubernetes@${release}: no staging replace lines in its go.mod`);
  const stagingVersion = release.replace(/^v1\./, 'v0.');
  const goMod = [
    '// Written by scripts/gen-rbac-bootstrap.ts.',
    'module kordon.gen/rbac-bootstrap',
    '',
    `go ${goDirective}`,
    '',
    `require k8s.io/kubernetes ${release}`,
    '',
    ...staging.map((m) => `replace ${m} => ${m} ${stagingVersion}`),
    '',
  ].join('\n');
  const goModFile = path.join(work, 'go.mod');
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gen-rbac-bootstrap-go', 'main.go');
  const fresh = !existsSync(goModFile) || !readFileSync(goModFile, 'utf8').startsWith(goMod) || readFileSync(path.join(work, 'main.go'), 'utf8') !== readFileSync(source, 'utf8');
  if (fresh) {
    writeFileSync(goModFile, goMod);
    copyFileSync(source, path.join(work, 'main.go'));
    process.stderr.write(`[gen-rbac-bootstrap] ${release}: resolving modules ...\n`);
    go(['mod', 'tidy'], work);
    process.stderr.write(`[gen-rbac-bootstrap] ${release}: building ...\n`);
    go(['build', '-trimpath', '-o', 'bootstrap', '.'], work);
  }
  const out = execFileSync(path.join(work, 'bootstrap'), [...new Set(GATED.map((g) => g.gate))], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { output: JSON.parse(out) as GoOutput, moduleDir: info.Dir };
}

function namespaced(map: Record<string, unknown[]>): unknown[] {
  return Object.entries(map).flatMap(([ns, list]) => list.map((o: any) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace || ns } })));
}

/** Fails unless kordon's aggregation of the shipped objects gives each aggregated role the controller's rules. */
async function checkAggregation(release: string, objects: BootstrapObject[], controller: GoOutput['aggregated']): Promise<Record<string, number>> {
  const { aggregateClusterRoles } = await import('../src/rbac/aggregation.js');
  const { normalizeRule, ruleKey } = await import('../src/rbac/match.js');
  const roles = objects
    .filter((o) => o.kind === 'ClusterRole')
    .map((o) => ({ name: o.metadata.name, labels: o.metadata.labels, rules: (o.rules ?? []).map(normalizeRule), selectors: o.aggregationRule?.clusterRoleSelectors as never }));
  const kordon = aggregateClusterRoles(roles);
  const counts: Record<string, number> = {};
  for (const name of Object.keys(controller).sort()) {
    const want = new Set(controller[name]!.map((r) => ruleKey(normalizeRule(r))));
    const got = new Set((kordon.get(name) ?? []).map(ruleKey));
    const missing = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    if (missing.length || extra.length || want.size !== controller[name]!.length) {
      throw new Error(`${release}: kordon's aggregation of ClusterRole ${name} differs from the clusterrole-aggregation controller's: missing ${missing.join(' ')}; extra ${extra.join(' ')}`);
    }
    counts[name] = controller[name]!.length;
  }
  return counts;
}

export async function generateVersion(release: string): Promise<ShippedKubernetesVersion> {
  const { output, moduleDir } = runBootstrapProgram(release);
  const objects = objectsOf({
    ClusterRole: output.clusterRoles,
    ClusterRoleBinding: output.clusterRoleBindings,
    Role: namespaced(output.roles),
    RoleBinding: namespaced(output.roleBindings),
  });
  const aggregated = await checkAggregation(release, objects, output.aggregated);
  const resources = await discoveryFromDocuments(path.join(moduleDir, 'api', 'discovery'), output.featureGates);
  const gates = Object.entries(output.featureGates).map(([g, on]) => `${g}=${on}`).join(', ');
  return {
    minor: release.replace(/^(v1\.\d+)\..*$/, '$1'),
    serverVersion: release,
    producedBy: `scripts/gen-rbac-bootstrap.ts from k8s.io/kubernetes ${release}: bootstrappolicy (ClusterRoles, ControllerRoles, ClusterRoleBindings, ControllerRoleBindings, NamespaceRoles, NamespaceRoleBindings; default feature gates), discovery from api/discovery (GA group versions${gates ? `; ${gates}` : ''})`,
    aggregated,
    objects,
    resources,
  };
}

/** One document for all versions, each object and resource stored once. */
export function shippedData(versions: ShippedKubernetesVersion[]): ShippedData {
  const objects: BootstrapObject[] = [];
  const resources: DiscoveredResource[] = [];
  const objectIndex = new Map<string, number>();
  const resourceIndex = new Map<string, number>();
  const intern = <T>(list: T[], index: Map<string, number>, x: T): number => {
    const k = JSON.stringify(x);
    let i = index.get(k);
    if (i === undefined) {
      index.set(k, (i = list.length));
      list.push(x);
    }
    return i;
  };
  return {
    versions: versions.map((v) => ({
      minor: v.minor,
      serverVersion: v.serverVersion,
      producedBy: v.producedBy,
      aggregated: v.aggregated,
      objects: v.objects.map((o) => intern(objects, objectIndex, o)),
      resources: v.resources.map((r) => intern(resources, resourceIndex, r)),
    })),
    objects,
    resources,
  };
}

/**
 * The data file's text: a TypeScript module holding the data as JSON text in a template literal
 * (one object per line: readable diffs), parsed on first use: JSON.parse is several times faster
 * than an object literal of this size, and commands that never resolve a built-in role or a
 * resource name do not pay for it. The minors are a plain list, known without parsing.
 */
export function moduleText(data: ShippedData): string {
  const lines = (xs: unknown[]): string => `[\n${xs.map((x) => JSON.stringify(x)).join(',\n')}\n]`;
  const json = `{\n"versions": ${lines(data.versions)},\n"objects": ${lines(data.objects)},\n"resources": ${lines(data.resources)}\n}`;
  const text = json.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return [
    `// Generated by scripts/gen-rbac-bootstrap.ts from k8s.io/kubernetes ${data.versions.map((v) => v.serverVersion).join(', ')}; do not edit by hand.`,
    `import type { ShippedData } from './types.js';`,
    '',
    `/** The shipped minor versions, newest first. */`,
    `export const SHIPPED_MINORS: readonly string[] = ${JSON.stringify(data.versions.map((v) => v.minor))};`,
    '',
    `const TEXT = \`${text}\`;`,
    '',
    `let parsed: ShippedData | undefined;`,
    '',
    `/** The data of every shipped version (parsed once, on first use). */`,
    `export function shippedData(): ShippedData {`,
    `  return (parsed ??= JSON.parse(TEXT) as ShippedData);`,
    `}`,
    '',
  ].join('\n');
}

function parseArgs(argv: string[]): string[] {
  let minors = MINORS;
  const releases: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--minors') {
      const m = /^(\d+)-(\d+)$/.exec(argv[++i] ?? '');
      if (!m) throw new Error('--minors FROM-TO, e.g. 30-36');
      minors = [];
      for (let n = Number(m[2]); n >= Number(m[1]); n--) minors.push(n);
    } else if (a === '--release') {
      const r = argv[++i] ?? '';
      if (!/^v1\.\d+\.\d+$/.test(r)) throw new Error(`--release v1.N.P, got "${r}"`);
      releases.push(r);
    } else throw new Error(`unknown argument ${a}`);
  }
  const latest = latestReleases(minors);
  // a pinned release replaces the latest patch of its minor
  return latest.map((l) => releases.find((r) => r.replace(/\.\d+$/, '') === l.replace(/\.\d+$/, '')) ?? l);
}

async function main(): Promise<void> {
  const releases = parseArgs(process.argv.slice(2));
  const versions: ShippedKubernetesVersion[] = [];
  for (const release of releases) {
    const v = await generateVersion(release);
    process.stderr.write(`[gen-rbac-bootstrap] ${release}: ${v.objects.length} RBAC objects, ${v.resources.length} resources\n`);
    versions.push(v);
  }
  const data = shippedData(versions);
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'rbac', 'bootstrap', 'data.ts');
  writeFileSync(file, moduleText(data));
  process.stdout.write(`wrote ${file}: ${versions.map((v) => v.serverVersion).join(', ')}; ${data.objects.length} distinct RBAC objects, ${data.resources.length} distinct resources\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
