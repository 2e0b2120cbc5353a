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
import { readInventory, withClusterOptions, type SourceFlags } from './inputs.js';
import { rbacIndexWithBuiltIns } from '../rbac/builtins.js';
import { scanInventory } from '../scan.js';
import { rbacControls } from '../controls/rbac.js';
import { formatReport } from '../report/index.js';
import { RbacIndex, parseSubject, subjectLabel, userInfoFor } from '../rbac/model.js';
import { whoCan, type WhoCanQuery, type WhoCanResult } from '../rbac/who-can.js';
import { effectivePermissions, type EffectivePermissions, type PermissionSet } from '../rbac/permissions.js';
import { escalationPaths, type EscalationResult } from '../rbac/escalation.js';
import { isNamespacedResource, parseResourceArgument } from '../rbac/resources.js';
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
 * The index for questions: a binding to `cluster-admin` that the files do not define resolves to
 * the API server's own (exact) cluster-admin role, cited as `built-in//cluster-admin`.
 */
function queryIndex(inv: Inventory): RbacIndex {
  return rbacIndexWithBuiltIns(inv, ['cluster-admin']);
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

export function formatWhoCan(r: WhoCanResult, q: WhoCanQuery): string {
  const what = q.path !== undefined ? `${q.verb} ${q.path}` : `${q.verb} ${q.resource}${q.subresource ? '/' + q.subresource : ''}${q.apiGroup ? '.' + q.apiGroup : ''}${q.name ? ` "${q.name}"` : ''}`;
  const clusterScoped = q.path === undefined && !isNamespacedResource(q.apiGroup ?? '', q.resource ?? '');
  const where = q.path !== undefined ? '' : q.namespace ? ` in namespace "${q.namespace}"` : q.allNamespaces && !clusterScoped ? ' in any namespace' : ' cluster-wide';
  const lines = [`who can ${what}${where}: ${r.subjects.length} subject(s)`];
  for (const s of r.subjects) {
    lines.push(`  ${s.kind.padEnd(14)} ${s.kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name}`);
    for (const g of s.grants) lines.push(`      ${grantText(g)}${g.namespace ? ` [namespace ${g.namespace}]` : ''}`);
  }
  return lines.join('\n') + '\n';
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

export function formatPermissions(e: EffectivePermissions, label: string): string {
  const who = e.user === '' ? `any member of ${e.groups.join(', ')}` : `user "${e.user}", groups ${e.groups.join(', ') || '(none)'}`;
  const lines = [`${label} (${who})${e.superuser ? ': member of system:masters, allowed everything' : ''}`];
  lines.push('  cluster-wide (and in every namespace):', ...formatPermissionSet(e.clusterWide, '    '));
  for (const ns of e.namespaces) lines.push(`  namespace ${ns.namespace} (in addition):`, ...formatPermissionSet(ns, '    '));
  return lines.join('\n') + '\n';
}

export function formatEscalations(r: EscalationResult): string {
  if (r.startIsClusterAdmin) return `${r.start} can already do everything (cluster-admin).\n`;
  const lines = [`${r.start}: ${r.paths.length} escalation path(s)${r.truncated ? ' (search stopped at the limit; more identities are reachable)' : ''}`];
  for (const p of r.paths) {
    const gains = p.clusterAdmin ? 'CLUSTER-ADMIN' : [`${p.gainedBindings.length} new binding(s)`, p.cloudIdentity ? `cloud identity ${p.cloudIdentity}` : ''].filter(Boolean).join(', ');
    lines.push(`  → ${p.target}  [${gains}]`);
    p.steps.forEach((s, i) => {
      lines.push(`      ${i + 1}. ${s.description}`);
      for (const g of s.grants) lines.push(`         via ${grantText(g)}`);
    });
  }
  return lines.join('\n') + '\n';
}

interface CommonFlags extends SourceFlags {
  format: string;
  output?: string;
}

export function registerRbac(program: Command, io: Io, done: (code: number) => void): void {
  const rbac = program.command('rbac').description('RBAC: who can do what, effective permissions, risky grants, escalation paths');

  withClusterOptions(rbac.command('who-can'))
    .description('list every subject allowed to make a request (RESOURCE in kubectl form: pods, pods/log, deployments.apps/scale; or a URL path such as /healthz)')
    .argument('<verb>', 'the verb (get, list, create, impersonate, ...)')
    .argument('<resource>', 'the resource, or a non-resource URL starting with /')
    .argument('[paths...]', 'files or directories with the RBAC objects')
    .option('-n, --namespace <namespace>', 'ask in this namespace (cluster role bindings plus its role bindings)')
    .option('-A, --all-namespaces', 'ask in any namespace (every role binding counts, in its own namespace)')
    .option('--name <name>', 'the object name the request carries (resourceNames)')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .action(async (verb: string, resource: string, paths: string[], flags: CommonFlags & { namespace?: string; allNamespaces?: boolean; name?: string }) => {
      const format = parseSimpleFormat(flags.format);
      if (flags.namespace && flags.allNamespaces) throw new UsageError('give either --namespace or --all-namespaces, not both');
      const { inv, state } = await readRbacInput(paths, flags, io);
      const index = queryIndex(inv);
      let q: WhoCanQuery;
      if (resource.startsWith('/')) {
        if (flags.namespace || flags.name) throw new UsageError('a non-resource URL takes no --namespace or --name');
        q = { verb, path: resource };
      } else {
        const r = parseResourceArgument(resource);
        // Without -n, a namespaced resource is asked in any namespace; a cluster-scoped one cluster-wide.
        q = { verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, ...(flags.name ? { name: flags.name } : {}), ...(flags.namespace ? { namespace: flags.namespace } : { allNamespaces: !flags.namespace }) };
      }
      const result = whoCan(index, q);
      await emit(io, format === 'json' ? JSON.stringify({ ...result, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatWhoCan(result, q), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withClusterOptions(rbac.command('can'))
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
      const { inv, state } = await readRbacInput(paths, flags, io);
      const index = queryIndex(inv);
      const result = effectivePermissions(index, userInfoFor(subject, flags.group ?? []));
      const label = subjectLabel(subject);
      await emit(io, format === 'json' ? JSON.stringify({ subject: label, ...result, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatPermissions(result, label), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withClusterOptions(rbac.command('escalations'))
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
      const { inv, state } = await readRbacInput(paths, flags, io);
      const index = queryIndex(inv);
      const result = escalationPaths(index, userInfoFor(subject, flags.group ?? []), { maxDepth: depth });
      await emit(io, format === 'json' ? JSON.stringify({ ...result, ...problemJson(state) }, null, 2) + '\n' : withProblemText(formatEscalations(result), state), flags.output);
      done(reportProblems(io, state, index));
    });

  withClusterOptions(rbac.command('risky'))
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
      const { inv, coverage } = await readRbacInput(paths, flags, io);
      // the scan report lists the input problems (and a cluster's coverage) in every format
      const result = { ...scanInventory(inv, paths, { controls: rbacControls }), ...(coverage ? { coverage } : {}) };
      await emit(io, formatReport(result, format, { color: useColor(io, flags.color) }), flags.output);
      reportProblems(io, undefined, RbacIndex.fromInventory(inv));
      const gaps = (coverage ?? []).some((c) => c.error !== undefined);
      const code = exitCodeFor(result, failOn);
      done(gaps && code === EXIT.ok ? EXIT.inputErrors : code);
    });
}
