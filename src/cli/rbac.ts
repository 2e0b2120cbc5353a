/**
 * `kordon rbac`: questions to the RBAC engine (src/rbac/) about manifests.
 *
 *   who-can VERB RESOURCE|URL [PATHS...]   every subject allowed, with the grants
 *   can SUBJECT [PATHS...]                 effective permissions, cluster-wide and per namespace
 *   risky [PATHS...]                       the RBAC controls (KOR-02xx) as a scan report
 *   escalations SUBJECT [PATHS...]         what the subject can become, step by step
 *
 * In JSON, bindings and roles are `Kind/namespace/name` strings (namespace empty for
 * cluster-scoped objects), e.g. `ClusterRoleBinding//ops` and `Role/dev/reader`.
 */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { setTargetKubernetesVersion, targetKubernetesVersion } from '../rbac/builtins.js';
import { kubeMinorOf, SHIPPED_KUBERNETES_VERSIONS } from '../rbac/bootstrap/index.js';
import { scanInventory } from '../scan.js';
import { rbacControls } from '../controls/rbac.js';
import { formatReport } from '../report/index.js';
import { rbacIndexOf, parseSubject, subjectLabel, userInfoFor, type RbacIndex } from '../rbac/model.js';
import { whoCan, type WhoCanQuery, type WhoCanResult } from '../rbac/who-can.js';
import { effectivePermissions, type EffectivePermissions, type PermissionSet } from '../rbac/permissions.js';
import { escalationPaths, type EscalationResult } from '../rbac/escalation.js';
import { resourceTableFor } from '../rbac/resources.js';
import { describeRule } from '../rbac/match.js';
import type { Grant } from '../rbac/types.js';
import { EXIT } from './exit-codes.js';
import { collect, emit, UsageError, useColor, type Io } from './io.js';
import { exitCodeFor, parseFormat, parseSeverity } from './scan.js';
import { exitFor, problemJson, withProblemText, type InputState } from './partial-input.js';
import type { CoverageEntry } from '../sources/cluster/read.js';

/** Where the RBAC objects come from: manifests or the live cluster (`--cluster`). */
export async function loadRbacInventory(paths: string[], flags: SourceFlags = {}, io?: Io): Promise<Inventory> {
  const quiet: Io = io ?? { stdout: () => {}, stderr: () => {}, isTTY: false, env: {} };
  return (await readInventory(paths, flags, quiet)).inv;
}

/** The inventory and what could not be read of it (said in every format: src/cli/partial-input.ts). */
async function readRbacInput(paths: string[], flags: SourceFlags, io: Io): Promise<{ inv: Inventory; state: InputState; coverage?: CoverageEntry[] }> {
  const { inv, state, coverage } = await readInventory(paths, flags, io);
  return { inv, state, ...(coverage ? { coverage } : {}) };
}

/**
 * The index for questions about subjects: the input's RBAC objects, plus the bootstrap policy of
 * the target Kubernetes version for what the input lacks: roles (a binding to `edit` resolves to
 * the built-in `edit`) and bindings (every authenticated user has `system:basic-user`, ...).
 */
function queryIndex(inv: Inventory, kubeVersion: string | undefined): RbacIndex {
  return rbacIndexOf(inv, { kubeVersion, bindings: true });
}

/** Validates `--kube-version` (stricter than the input option: a Kubernetes 1.x version). */
function checkKubeVersion(io: Io, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (kubeMinorOf(text) === undefined) throw new UsageError(`invalid --kube-version "${text}"; use v1.N (shipped: ${SHIPPED_KUBERNETES_VERSIONS.join(', ')})`);
  // the note that the nearest shipped policy stands in is readInventory's (noteKubeVersion)
  return text;
}

/** What an answer says about built-ins: the objects it assumed, and from which version's policy. */
export interface AssumedBuiltIns {
  /** Role and binding keys the answer used that the input lacks (from the bootstrap policy). */
  assumedBuiltIns: string[];
  /** The Kubernetes version whose bootstrap policy they come from (present when some were assumed). */
  builtInPolicy?: string;
}

function assumed(index: RbacIndex, keys: Iterable<string>): AssumedBuiltIns {
  const list = index.assumedBuiltIns(keys);
  return list.length > 0 && index.builtInVersion ? { assumedBuiltIns: list, builtInPolicy: index.builtInVersion } : { assumedBuiltIns: list };
}

function assumedText(a: AssumedBuiltIns): string {
  if (a.assumedBuiltIns.length === 0) return '';
  return `assumed from the Kubernetes ${a.builtInPolicy} bootstrap policy (not in the input): ${a.assumedBuiltIns.join(', ')}\n`;
}

/** Marks the subjects that only bootstrap bindings the input lacks grant (`builtIn: true`). */
function markBuiltInSubjects(index: RbacIndex, r: WhoCanResult): WhoCanResult {
  const subjects = r.subjects.map((s) => (s.grants.length > 0 && s.grants.every((g) => index.assumedBuiltIns([g.binding]).length === 1) ? { ...s, builtIn: true as const } : s));
  return { ...r, subjects };
}

function grantKeys(grants: Iterable<Grant>): string[] {
  const out: string[] = [];
  for (const g of grants) out.push(g.binding, g.role);
  return out;
}

/** Bindings an effective-permissions answer cites, and their roles. */
function permissionKeys(index: RbacIndex, e: EffectivePermissions): string[] {
  const out: string[] = [];
  for (const set of [e.clusterWide, ...e.namespaces]) {
    for (const p of [...set.resources, ...set.nonResourceURLs]) {
      for (const b of p.from) {
        out.push(b);
        const role = index.bindingByKey.get(b)?.role;
        if (role) out.push(role.key);
      }
    }
  }
  return out;
}

/**
 * The who-can question: a URL path, or a resource resolved as kubectl does (built-in API of the
 * target version plus the input's CRDs); an unknown resource is a usage error with close names.
 * A built-in resource the target version does not serve by default (an alpha or beta API there,
 * or one added or removed since) is answered, with a note on stderr saying so.
 */
function whoCanQuery(io: Io, verb: string, resource: string, inv: Inventory, kubeVersion: string | undefined, flags: { namespace?: string; allNamespaces?: boolean; clusterWide?: boolean; name?: string }): WhoCanQuery {
  if (resource.startsWith('/')) return { verb, path: resource };
  const r = resourceTableFor(inv, kubeVersion).resolve(resource);
  if (r.ok && r.resource.origin === 'other-version') {
    const target = targetKubernetesVersion(inv, kubeVersion).minor;
    const name = r.resource.apiGroup === '' ? r.resource.resource : `${r.resource.resource}.${r.resource.apiGroup}`;
    io.stderr(`kordon: note: ${name} is built into Kubernetes but not served by default in ${target} (the target version); it is in ${versionRange(r.resource.servedIn!)}. Answered for a cluster that serves it (an API or feature gate turned on)\n`);
  }
  if (!r.ok) {
    const hint = r.suggestions.length ? `; did you mean ${r.suggestions.join(', ')}?` : '; a custom resource needs its CustomResourceDefinition (or an RBAC rule naming it with its group) in the input';
    throw new UsageError(`${r.error}${hint}`);
  }
  const { resource: plural, apiGroup, subresource, namespaced } = r.resource;
  // Without -n or --cluster-wide, a namespaced resource is asked in any namespace; a cluster-scoped
  // one is always asked cluster-wide (kubectl ignores -n for it; no RoleBinding can grant it).
  const scope = !namespaced ? {} : flags.namespace ? { namespace: flags.namespace } : { allNamespaces: !flags.clusterWide };
  return { verb, apiGroup, resource: plural, subresource, namespaced, ...(flags.name ? { name: flags.name } : {}), ...scope };
}

/** `v1.34 to v1.37` for consecutive minors (given newest first), else the list oldest first. */
function versionRange(minors: readonly string[]): string {
  const ns = minors.map((m) => Number(m.replace(/^v1\./, ''))).sort((a, b) => a - b);
  if (ns.length === 1) return `v1.${ns[0]}`;
  const consecutive = ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1);
  return consecutive ? `v1.${ns[0]} to v1.${ns[ns.length - 1]}` : ns.map((n) => `v1.${n}`).join(', ');
}

type Format = 'pretty' | 'json';

function parseSimpleFormat(f: string): Format {
  if (f !== 'pretty' && f !== 'json') throw new UsageError(`unknown format "${f}"; use pretty or json`);
  return f;
}

/** Missing roles go to stderr; input problems are in the output itself; the exit code says when the input was partial. */
function reportProblems(io: Io, state: InputState | undefined, index?: RbacIndex): number {
  for (const m of index?.missingRoles ?? []) io.stderr(`kordon: warning: ${m.binding} references a missing role: ${m.reason}\n`);
  return state ? exitFor(state, EXIT.ok) : EXIT.ok;
}

function grantText(g: Grant): string {
  return `${g.binding} → ${g.role}: ${describeRule(g.rule)}`;
}

export function formatWhoCan(r: WhoCanResult & Partial<AssumedBuiltIns>, q: WhoCanQuery): string {
  const what = q.path !== undefined ? `${q.verb} ${q.path}` : `${q.verb} ${q.resource}${q.subresource ? '/' + q.subresource : ''}${q.apiGroup ? '.' + q.apiGroup : ''}${q.name ? ` "${q.name}"` : ''}`;
  const clusterScoped = q.path === undefined && q.namespaced === false;
  const where = q.path !== undefined ? '' : q.namespace ? ` in namespace "${q.namespace}"` : q.allNamespaces && !clusterScoped ? ' in any namespace' : clusterScoped ? ' cluster-wide (a cluster-scoped resource)' : ' cluster-wide (only cluster-wide grants count)';
  const lines = [`who can ${what}${where}: ${r.subjects.length} subject(s)`];
  const subject = (s: WhoCanResult['subjects'][number]): void => {
    lines.push(`  ${s.kind.padEnd(14)} ${s.kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name}`);
    for (const g of s.grants) lines.push(`      ${grantText(g)}${g.namespace ? ` [namespace ${g.namespace}]` : ''}`);
  };
  const fromInput = r.subjects.filter((s) => !s.builtIn);
  const builtIn = r.subjects.filter((s) => s.builtIn);
  for (const s of fromInput) subject(s);
  if (builtIn.length > 0) {
    lines.push(`  granted by the Kubernetes ${r.builtInPolicy ?? ''} bootstrap bindings (every cluster has them; not in the input):`);
    for (const s of builtIn) subject(s);
  }
  return lines.join('\n') + '\n' + assumedText({ assumedBuiltIns: r.assumedBuiltIns ?? [], ...(r.builtInPolicy ? { builtInPolicy: r.builtInPolicy } : {}) });
}

function formatPermissionSet(p: PermissionSet, indent: string): string[] {
  const out: string[] = [];
  for (const r of p.resources) {
    const res = `${r.resource}${r.apiGroup ? '.' + r.apiGroup : ''}`;
    out.push(`${indent}${r.verbs.join(',').padEnd(28)} ${res}${r.resourceNames.length ? ` [${r.resourceNames.join(',')}]` : ''}   (${r.from.join(', ')})`);
  }
  for (const u of p.nonResourceURLs) out.push(`${indent}${u.verbs.join(',').padEnd(28)} ${u.url}   (${u.from.join(', ')})`);
  if (out.length === 0) out.push(`${indent}(nothing)`);
  return out;
}

export function formatPermissions(e: EffectivePermissions & Partial<AssumedBuiltIns>, label: string): string {
  const who = e.user === '' ? `any member of ${e.groups.join(', ')}` : `user "${e.user}", groups ${e.groups.join(', ') || '(none)'}`;
  const lines = [`${label} (${who})${e.superuser ? ': member of system:masters, allowed everything' : ''}`];
  lines.push('  cluster-wide (and in every namespace):', ...formatPermissionSet(e.clusterWide, '    '));
  for (const ns of e.namespaces) lines.push(`  namespace ${ns.namespace} (in addition):`, ...formatPermissionSet(ns, '    '));
  return lines.join('\n') + '\n' + assumedText({ assumedBuiltIns: e.assumedBuiltIns ?? [], ...(e.builtInPolicy ? { builtInPolicy: e.builtInPolicy } : {}) });
}

export function formatEscalations(r: EscalationResult & Partial<AssumedBuiltIns>): string {
  const footer = assumedText({ assumedBuiltIns: r.assumedBuiltIns ?? [], ...(r.builtInPolicy ? { builtInPolicy: r.builtInPolicy } : {}) });
  if (r.startIsClusterAdmin) return `${r.start} can already do everything (cluster-admin).\n` + footer;
  const lines = [`${r.start}: ${r.paths.length} escalation path(s)${r.truncated ? ' (search stopped at the limit; more identities are reachable)' : ''}`];
  for (const p of r.paths) {
    const gains = p.clusterAdmin ? 'CLUSTER-ADMIN' : [`${p.gainedBindings.length} new binding(s)`, p.cloudIdentity ? `cloud identity ${p.cloudIdentity}` : ''].filter(Boolean).join(', ');
    lines.push(`  → ${p.target}  [${gains}]`);
    p.steps.forEach((s, i) => {
      lines.push(`      ${i + 1}. ${s.description}`);
      for (const g of s.grants) lines.push(`         via ${grantText(g)}`);
    });
  }
  return lines.join('\n') + '\n' + footer;
}

interface CommonFlags extends SourceFlags {
  format: string;
  output?: string;
  kubeVersion?: string;
}


export function registerRbac(program: Command, io: Io, done: (code: number) => void): void {
  const rbac = program.command('rbac').description('RBAC: who can do what, effective permissions, risky grants, escalation paths');

  withInputOptions(withClusterOptions(rbac.command('who-can')))
    .description('list every subject allowed to make a request (RESOURCE as kubectl reads it: pods, po, pod, Pod, pods/log, deploy.apps, deployments.apps/scale, a CRD in the input; or a URL path such as /healthz)')
    .argument('<verb>', 'the verb (get, list, create, impersonate, ...)')
    .argument('<resource>', 'the resource, or a non-resource URL starting with /')
    .argument('[paths...]', 'files or directories with the RBAC objects')
    .option('-n, --namespace <namespace>', 'ask in this namespace (cluster role bindings plus its role bindings)')
    .option('-A, --all-namespaces', 'ask in any namespace: every role binding counts, in its own namespace (the default)')
    .option('--cluster-wide', 'ask the request without a namespace (what `kubectl get secrets -A` needs): only cluster role bindings count')
    .option('--name <name>', 'the object name the request carries (resourceNames)')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .action(async (verb: string, resource: string, paths: string[], flags: CommonFlags & { namespace?: string; allNamespaces?: boolean; clusterWide?: boolean; name?: string }) => {
      const format = parseSimpleFormat(flags.format);
      if ([flags.namespace !== undefined, flags.allNamespaces, flags.clusterWide].filter(Boolean).length > 1) throw new UsageError('give one of --namespace, --all-namespaces and --cluster-wide');
      const kubeVersion = checkKubeVersion(io, flags.kubeVersion);
      if (resource.startsWith('/') && (flags.namespace || flags.name || flags.allNamespaces)) throw new UsageError('a non-resource URL takes no --namespace, --all-namespaces or --name');
      const { inv, state } = await readRbacInput(paths, flags, io);
      const q = whoCanQuery(io, verb, resource, inv, kubeVersion, flags);
      const index = queryIndex(inv, kubeVersion);
      const result = whoCan(index, q);
      const out = { ...markBuiltInSubjects(index, result), ...assumed(index, grantKeys(result.subjects.flatMap((s) => s.grants))) };
      await emit(io, format === 'json' ? JSON.stringify({ ...out, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatWhoCan(out, q), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withInputOptions(withClusterOptions(rbac.command('can')))
    .description('the effective permissions of a subject (user:NAME, group:NAME, sa:NAMESPACE/NAME), cluster-wide and per namespace')
    .argument('<subject>', 'user:alice, group:dev or sa:ns/name')
    .argument('[paths...]', 'files or directories with the RBAC objects')
    .option('--group <group>', 'an extra group the user belongs to (repeatable)', collect)
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .action(async (subjectText: string, paths: string[], flags: CommonFlags & { group?: string[] }) => {
      const format = parseSimpleFormat(flags.format);
      const subject = parseSubject(subjectText);
      if (!subject) throw new UsageError(`cannot read subject "${subjectText}"; use user:NAME, group:NAME or sa:NAMESPACE/NAME`);
      const kubeVersion = checkKubeVersion(io, flags.kubeVersion);
      const { inv, state } = await readRbacInput(paths, flags, io);
      const index = queryIndex(inv, kubeVersion);
      const permissions = effectivePermissions(index, userInfoFor(subject, flags.group ?? []));
      const result = { ...permissions, ...assumed(index, permissionKeys(index, permissions)) };
      const label = subjectLabel(subject);
      await emit(io, format === 'json' ? JSON.stringify({ subject: label, ...result, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatPermissions(result, label), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withInputOptions(withClusterOptions(rbac.command('escalations')))
    .description('what a subject can become: impersonation, pods with other service accounts, token theft, bind/escalate, CSR approval')
    .argument('<subject>', 'user:alice, group:dev or sa:ns/name')
    .argument('[paths...]', 'files or directories with the RBAC objects (and service accounts, secrets, workloads)')
    .option('--group <group>', 'an extra group the user belongs to (repeatable)', collect)
    .option('--depth <n>', 'longest path searched', '3')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .action(async (subjectText: string, paths: string[], flags: CommonFlags & { group?: string[]; depth: string }) => {
      const format = parseSimpleFormat(flags.format);
      const subject = parseSubject(subjectText);
      if (!subject) throw new UsageError(`cannot read subject "${subjectText}"; use user:NAME, group:NAME or sa:NAMESPACE/NAME`);
      const depth = Number(flags.depth);
      if (!Number.isInteger(depth) || depth < 1 || depth > 10) throw new UsageError('--depth takes a whole number from 1 to 10');
      const kubeVersion = checkKubeVersion(io, flags.kubeVersion);
      const { inv, state } = await readRbacInput(paths, flags, io);
      const index = queryIndex(inv, kubeVersion);
      const paths_ = escalationPaths(index, userInfoFor(subject, flags.group ?? []), { maxDepth: depth });
      const result = { ...paths_, ...assumed(index, grantKeys(paths_.paths.flatMap((p) => p.steps.flatMap((st) => st.grants)))) };
      await emit(io, format === 'json' ? JSON.stringify({ ...result, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatEscalations(result), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withInputOptions(withClusterOptions(rbac.command('risky')))
    .description('risky grants (the RBAC controls KOR-0200..0299) as a report')
    .argument('[paths...]', 'files or directories with the RBAC objects')
    .option('-f, --format <format>', 'pretty, json, sarif, junit or markdown', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .option('--color', 'force colour in the pretty report')
    .option('--no-color', 'no colour in the pretty report')
    .action(async (paths: string[], flags: CommonFlags & { color?: boolean; failOn?: string }) => {
      const format = parseFormat(flags.format);
      const failOn = parseSeverity(flags.failOn);
      const kubeVersion = checkKubeVersion(io, flags.kubeVersion);
      const { inv, coverage } = await readRbacInput(paths, flags, io);
      setTargetKubernetesVersion(inv, kubeVersion);
      // the scan report lists the input problems (and a cluster's coverage) in every format
      const result = { ...scanInventory(inv, paths, { controls: rbacControls }), ...(coverage ? { coverage } : {}) };
      await emit(io, formatReport(result, format, { color: useColor(io, flags.color) }), flags.output);
      reportProblems(io, undefined, rbacIndexOf(inv));
      const gaps = (coverage ?? []).some((c) => c.error !== undefined);
      const code = exitCodeFor(result, failOn);
      done(gaps && code === EXIT.ok ? EXIT.inputErrors : code);
    });
}
