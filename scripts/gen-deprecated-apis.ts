/**
 * Generates src/controls/code/deprecated-apis.data.ts, the deprecated and removed alpha/beta API
 * versions the control KOR-0143 (deprecated-api-version) reports, from the upstream source: the
 * `zz_generated.prerelease-lifecycle.go` files of k8s.io/api (every group), of
 * k8s.io/apiextensions-apiserver (CustomResourceDefinition) and of k8s.io/kube-aggregator
 * (APIService), which give each prerelease kind the release that introduced it, deprecates it,
 * stops serving it (removed) and its replacement. The kube-apiserver itself uses these functions
 * to stop serving a removed version.
 *
 *   node --import tsx scripts/gen-deprecated-apis.ts [GOMODCACHE]
 *
 * Reads the module versions listed in MODULES below from the Go module cache, downloading a missing
 * one with `go mod download` (the Go module proxy); a kind is taken from the newest module version
 * that has it (an old kind, such as policy/v1beta1 PodSecurityPolicy, whose Go types were deleted
 * after its removal, from the newest version that still had it: hence the old versions listed).
 * Module versions `v0.N.x` are Kubernetes 1.N; a pre-release module (`v0.38.0-beta.0`) describes
 * the coming release and is said so in the data.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Entry {
  apiVersion: string;
  kind: string;
  introduced?: string;
  deprecated?: string;
  removed?: string;
  replacement?: string;
  /** The module version the entry was read from. */
  from: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src/controls/code/deprecated-apis.data.ts');

function modCache(): string {
  if (process.argv[2]) return process.argv[2];
  try {
    return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch {
    return path.join(os.homedir(), 'go/pkg/mod');
  }
}

/** `v0.37.2` → [37, 2, release?]; compared newest first. */
function parseModVersion(v: string): { minor: number; patch: number; pre: string } | undefined {
  const m = /^v0\.(\d+)\.(\d+)(?:-(.+))?$/.exec(v);
  return m ? { minor: Number(m[1]), patch: Number(m[2]), pre: m[3] ?? '' } : undefined;
}
function cmpMod(a: string, b: string): number {
  const x = parseModVersion(a)!;
  const y = parseModVersion(b)!;
  if (x.minor !== y.minor) return x.minor - y.minor;
  if (x.patch !== y.patch) return x.patch - y.patch;
  if (x.pre === y.pre) return 0;
  if (x.pre === '') return 1; // a release is newer than its pre-releases
  if (y.pre === '') return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The module versions read: one per Kubernetes minor where kinds were deleted, and the newest. */
const MODULES: Record<string, string[]> = {
  api: ['v0.20.15', 'v0.24.17', 'v0.27.16', 'v0.30.14', 'v0.31.14', 'v0.32.13', 'v0.33.13', 'v0.34.4', 'v0.35.4', 'v0.36.3', 'v0.37.2', 'v0.38.0-beta.0'],
  'apiextensions-apiserver': ['v0.37.2'],
  'kube-aggregator': ['v0.37.2'],
};

function moduleVersions(cache: string, module: string): string[] {
  const versions = [...(MODULES[module] ?? [])].sort(cmpMod);
  for (const v of versions) {
    if (existsSync(path.join(cache, 'k8s.io', `${module}@${v}`))) continue;
    execFileSync('go', ['mod', 'download', `k8s.io/${module}@${v}`], { stdio: 'inherit', cwd: os.tmpdir() });
  }
  return versions;
}

function findLifecycleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'testdata' && e.name !== 'internal') walk(p);
      } else if (e.name === 'zz_generated.prerelease-lifecycle.go') out.push(p);
    }
  };
  walk(dir);
  return out;
}

const RELEASE = /func \(in \*(\w+)\) APILifecycle(Introduced|Deprecated|Removed)\(\) \(major, minor int\) \{\s*return (\d+), (\d+)\s*\}/g;
const REPLACEMENT = /func \(in \*(\w+)\) APILifecycleReplacement\(\) schema\.GroupVersionKind \{\s*return schema\.GroupVersionKind\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\}\s*\}/g;

function readPackage(file: string, from: string): Entry[] {
  const dir = path.dirname(file);
  const version = path.basename(dir);
  if (!/^v\d+(alpha|beta)\d+$/.test(version)) return []; // GA versions are never removed
  const register = path.join(dir, 'register.go');
  const group = existsSync(register) ? /const GroupName = "([^"]*)"/.exec(readFileSync(register, 'utf8'))?.[1] : undefined;
  if (group === undefined) throw new Error(`${dir}: no GroupName in register.go`);
  const text = readFileSync(file, 'utf8');
  const kinds = new Map<string, Entry>();
  const entry = (kind: string): Entry => {
    let e = kinds.get(kind);
    if (!e) kinds.set(kind, (e = { apiVersion: group ? `${group}/${version}` : version, kind, from }));
    return e;
  };
  for (const m of text.matchAll(RELEASE)) {
    const e = entry(m[1]!);
    const v = `${m[3]}.${m[4]}`;
    if (m[2] === 'Introduced') e.introduced = v;
    else if (m[2] === 'Deprecated') e.deprecated = v;
    else e.removed = v;
  }
  for (const m of text.matchAll(REPLACEMENT)) {
    // networking.k8s.io/v1beta1 IngressClass names `IngressClassList` as its replacement kind: the item's list
    const kind = m[4] === `${m[1]}List` ? m[1] : m[4];
    entry(m[1]!).replacement = `${m[2] ? `${m[2]}/` : ''}${m[3]}${kind !== m[1] ? ` ${kind}` : ''}`;
  }
  // only kinds served as API resources (a `+genclient` tag, not `+genclient:noVerbs`): list types,
  // subresources (Scale, DeploymentRollback, Eviction) and webhook payloads (AdmissionReview,
  // ConversionReview) are never objects of a manifest
  const resources = resourceKinds(dir);
  return [...kinds.values()].filter((e) => resources.has(e.kind) && (e.deprecated || e.removed));
}

/** Kinds of a package's types.go (types*.go) tagged `+genclient` (and not `+genclient:noVerbs`). */
function resourceKinds(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => /^types.*\.go$/.test(x) && !x.endsWith('_test.go')).sort()) {
    const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^type (\w+) struct \{/.exec(line);
      if (!m) return;
      const tags: string[] = [];
      // the comment blocks above the type (tags and doc comment may be separated by a blank line)
      for (let j = i - 1; j >= 0 && /^\s*(\/\/.*)?$/.test(lines[j]!); j--) tags.push(lines[j]!.trim());
      if (tags.some((t) => /^\/\/\s*\+genclient\b(?!:noVerbs)/.test(t)) && !tags.some((t) => /\+genclient:noVerbs/.test(t))) out.add(m[1]!);
    });
  }
  return out;
}

const cache = modCache();
const entries = new Map<string, Entry>();
const sources: string[] = [];
for (const [module, sub] of [['api', ''], ['apiextensions-apiserver', 'pkg/apis'], ['kube-aggregator', 'pkg/apis']] as const) {
  const versions = moduleVersions(cache, module);
  if (versions.length === 0) throw new Error(`no k8s.io/${module} in ${cache}/k8s.io: go mod download k8s.io/${module}@<version>`);
  sources.push(`k8s.io/${module} ${versions.join(', ')}`);
  for (const v of versions) {
    const from = `k8s.io/${module}@${v}`;
    for (const file of findLifecycleFiles(path.join(cache, 'k8s.io', `${module}@${v}`, sub))) {
      for (const e of readPackage(file, from)) entries.set(`${e.apiVersion} ${e.kind}`, e); // newer versions override
    }
  }
}
// a kind whose lifecycle names no replacement (events.k8s.io/v1beta1 Event, node.k8s.io/v1beta1
// RuntimeClass, ...) is replaced by the same kind of its group's GA version when one defines it
const gaKinds = new Map<string, string>(); // `group kind` → apiVersion
for (const [module, sub] of [['api', ''], ['apiextensions-apiserver', 'pkg/apis'], ['kube-aggregator', 'pkg/apis']] as const) {
  const v = moduleVersions(cache, module).filter((x) => !parseModVersion(x)!.pre).at(-1)!;
  const base = path.join(cache, 'k8s.io', `${module}@${v}`, sub);
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.isDirectory() || e.name === 'testdata' || e.name === 'internal') continue;
      const p = path.join(d, e.name);
      if (/^v\d+$/.test(e.name) && existsSync(path.join(p, 'register.go')) && existsSync(path.join(p, 'types.go'))) {
        const group = /const GroupName = "([^"]*)"/.exec(readFileSync(path.join(p, 'register.go'), 'utf8'))?.[1];
        if (group === undefined) continue;
        for (const m of readFileSync(path.join(p, 'types.go'), 'utf8').matchAll(/^type (\w+) struct \{/gm)) {
          const key = `${group} ${m[1]}`;
          const apiVersion = group ? `${group}/${e.name}` : e.name;
          const have = gaKinds.get(key);
          if (!have || have < apiVersion) gaKinds.set(key, apiVersion); // v2 over v1
        }
      }
      walk(p);
    }
  };
  walk(base);
}
for (const e of entries.values()) {
  if (e.replacement) continue;
  const group = e.apiVersion.includes('/') ? e.apiVersion.slice(0, e.apiVersion.indexOf('/')) : '';
  const ga = gaKinds.get(`${group} ${e.kind}`);
  if (ga) e.replacement = ga;
}
const newest = moduleVersions(cache, 'api').at(-1)!;
const newestRelease = moduleVersions(cache, 'api').filter((v) => !parseModVersion(v)!.pre).at(-1)!;
const rows = [...entries.values()].sort((a, b) => (a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
const data = {
  producedBy: 'scripts/gen-deprecated-apis.ts',
  sources,
  newestRelease: `1.${parseModVersion(newestRelease)!.minor}`,
  newestData: `1.${parseModVersion(newest)!.minor}${parseModVersion(newest)!.pre ? ` (${newest}, a pre-release)` : ''}`,
  apis: rows.map((e) => [e.apiVersion, e.kind, e.introduced ?? '', e.deprecated ?? '', e.removed ?? '', e.replacement ?? '', e.from]),
};
const body = JSON.stringify(data, null, 0).replace(/\],\[/g, '],\n[');
if (/[`\\]|\$\{/.test(body)) throw new Error('the data holds a character a template literal would change');
writeFileSync(
  OUT,
  `// Generated by scripts/gen-deprecated-apis.ts from ${sources.join('; ')}; do not edit by hand.\n` +
    `// Each row: apiVersion, kind, introduced, deprecated, removed, replacement, module read from.\n` +
    `/** Parsed on first use (src/controls/code/deprecated-apis.ts). */\n` +
    `export const DEPRECATED_APIS_JSON = \`${body}\`;\n`,
);
console.log(`wrote ${path.relative(ROOT, OUT)}: ${rows.length} kinds from ${sources.join('; ')}`);
