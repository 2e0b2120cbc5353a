/**
 * `kordon harden [PATHS|--cluster] --runtime FILE...`: least privilege from observed behaviour
 * (docs/harden.md): seccomp profiles, capability drops and NetworkPolicies per workload, the
 * patch set that applies them (--out), and plan actions ranked by attack paths closed.
 *
 * Exit code: 0; 1 when an observed flow would be denied by the generated policies (a policy
 * already in the inventory decides against it); 3 when some input could not be read.
 */
import type { Command } from 'commander';
import { builtin } from '../util/builtins.js';
import path from 'node:path';
import { yamlLib } from '../util/yaml-lib.js';
import { harden, type HardenResult, type WorkloadHarden } from '../harden/harden.js';
import { readBehaviour, syscallArchOf, type SyscallArch } from '../sources/runtime/behaviour/read.js';
import { jsonChunks } from '../report/json-stream.js';
import { auditPaths } from '../audit/run.js';
import { UsageCollector, type UsageReport } from '../audit/usage.js';
import type { InputProblem } from '../inventory/types.js';
import { EXIT } from './exit-codes.js';
import { collect, UsageError, type Io } from './io.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { exitFor, inputState, problemJson, withProblemText } from './partial-input.js';

interface HardenFlags extends SourceFlags {
  runtime?: string[];
  audit?: string[];
  syscallArch?: string;
  format: string;
  seccomp: string;
  out?: string;
  thinWindow: string;
}

export const HARDEN_SCHEMA_VERSION = '1';

export function registerHarden(program: Command, io: Io, done: (code: number) => void): void {
  withInputOptions(withClusterOptions(program.command('harden')))
    .description('least privilege from observed behaviour: seccomp profiles, capability drops and NetworkPolicies per workload, proven with the reachability engine')
    .argument('[paths...]', 'files or directories with the workloads (- reads standard input); or --cluster')
    .option('--runtime <file>', 'observations: a file or directory of Tetragon, Hubble, Inspektor Gadget, Security Profiles Operator, Kubescape or kordon behaviour output (repeatable)', collect)
    .option('--audit <file>', 'audit logs (files, directories, gzip; as kordon audit): RBAC per service account from the API requests it made (repeatable)', collect)
    .option('--syscall-arch <arch>', 'the nodes\' architecture for Tetragon raw_syscalls numbers (x86_64 or arm64) when the inventory has no Node with a kubernetes.io/arch label')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--seccomp <mode>', 'how pods refer to their profile: spo (a SeccompProfile object, operator/<ns>/<name>.json) or localhost (a file you install, kordon/<ns>/<name>.json)', 'spo')
    .option('--out <dir>', 'write the patch set: new objects as YAML, JSON patches and a kustomization.yaml')
    .option('--thin-window <hours>', 'coverage is thin when observed over fewer hours than this', '24')
    .action(async (paths: string[], flags: HardenFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use text or json`);
      if (flags.seccomp !== 'spo' && flags.seccomp !== 'localhost') throw new UsageError(`--seccomp takes spo or localhost, not "${flags.seccomp}"`);
      const thin = Number(flags.thinWindow);
      if (!Number.isFinite(thin) || thin < 0) throw new UsageError('--thin-window takes a number of hours');
      const arch = flags.syscallArch === undefined ? undefined : syscallArchOf(flags.syscallArch);
      if (flags.syscallArch !== undefined && !arch) throw new UsageError(`--syscall-arch takes x86_64 (amd64) or arm64 (aarch64), not "${flags.syscallArch}"`);
      if (!flags.runtime?.length && !flags.audit?.length) throw new UsageError('nothing observed: give --runtime FILE and/or --audit FILE (repeatable)');
      const { inv, coverage } = await readInventory(paths, flags, io);
      const nodeArch = new Map<string, SyscallArch>();
      for (const n of inv.byKind('Node')) {
        const a = syscallArchOf(n.object.metadata.labels?.['kubernetes.io/arch']);
        if (a && n.object.metadata.name) nodeArch.set(n.object.metadata.name, a);
      }
      const summary = await readBehaviour(flags.runtime ?? [], { nodeArch, ...(arch ? { syscallArch: arch } : {}) });
      const audit = flags.audit?.length ? await readAuditUsage(flags.audit) : undefined;
      const result = harden(inv, summary, { seccomp: flags.seccomp, thinWindowHours: thin, ...(audit ? { usage: audit.usage } : {}) });
      const state = inputState([...inv.problems, ...result.problems, ...(audit?.problems ?? [])], coverage);
      if (flags.out) await writePatchSet(flags.out, result, flags.seccomp);
      if (flags.format === 'json') {
        // in pieces: a large cluster's answer is more text than one string may hold
        for (const piece of jsonChunks(hardenJson(result, state))) io.stdout(piece);
        io.stdout('\n');
      }
      else io.stdout(withProblemText(hardenText(result, flags.out), state));
      const denied = result.workloads.some((w) => (w.network?.deniedObserved.length ?? 0) > 0);
      done(exitFor(state, denied ? EXIT.findings : EXIT.ok));
    });
}

/** The audit logs read once by the audit reader, into per-identity usage (with the names per verb). */
export async function readAuditUsage(logs: string[]): Promise<{ usage: UsageReport; problems: InputProblem[] }> {
  const collector = new UsageCollector({ namesByVerb: true });
  const r = await auditPaths(logs, { usage: collector, skip: () => true });
  const codes: Record<string, InputProblem['code']> = { unreadable: 'unreadable', 'json-syntax': 'json-syntax', 'too-large': 'too-large', truncated: 'wrong-type', 'not-an-event': 'wrong-type', unsupported: 'unknown-format' };
  return { usage: collector.report(), problems: r.problems.map((p) => ({ source: p.source, ...(p.line !== undefined ? { line: p.line } : {}), code: codes[p.code] ?? 'wrong-type', severity: p.severity, message: `audit log: ${p.message}` })) };
}

export function hardenJson(r: HardenResult, state: ReturnType<typeof inputState>): Record<string, unknown> {
  return {
    schemaVersion: HARDEN_SCHEMA_VERSION,
    summary: r.summary,
    workloads: r.workloads,
    ...(r.serviceAccounts ? { serviceAccounts: r.serviceAccounts } : {}),
    plan: r.plan,
    ...problemJson(state),
  };
}

function workloadTitle(w: WorkloadHarden): string {
  return `${w.workload.namespace}/${w.workload.name} (${w.workload.kind})`;
}

export function hardenText(r: HardenResult, out?: string): string {
  const lines: string[] = [];
  lines.push(`${r.summary.workloads} ${r.summary.workloads === 1 ? 'workload' : 'workloads'} from ${r.summary.events} observed ${r.summary.events === 1 ? 'event' : 'events'} in ${r.summary.files} ${r.summary.files === 1 ? 'file' : 'files'}`);
  for (const w of r.workloads) {
    lines.push('');
    const c = w.coverage;
    const seen = [c.pods ? `${c.pods} ${c.pods === 1 ? 'pod' : 'pods'}${c.replicas !== undefined ? ` of ${c.replicas} ${c.replicas === 1 ? 'replica' : 'replicas'}` : ''}` : '', c.profiles ? `${c.profiles} workload ${c.profiles === 1 ? 'profile' : 'profiles'}` : ''].filter(Boolean).join(', ');
    const window = c.windowSeconds !== undefined ? `, ${c.from} to ${c.to}` : '';
    lines.push(`${workloadTitle(w)}${w.inInventory ? '' : ' [not in the inventory]'}: ${seen || (w.network ? 'flows only' : 'API requests only')}${window}`);
    if (c.thin) lines.push(`  coverage thin: ${c.reasons.join('; ')}`);
    if (c.revisions) lines.push(`  pods of ${c.revisions.length} revisions observed (pod-template-hash ${c.revisions.join(', ')}): merged`);
    const unobserved = w.containers.every((ct) => !ct.seccompProfile && !ct.capabilities && ct.notes.length === 1 && ct.notes[0] === 'not observed: left as it is');
    if (unobserved && w.containers.length) lines.push(`  ${w.containers.length === 1 ? 'container' : 'containers'} ${w.containers.map((ct) => ct.name).join(', ')}: not observed, unchanged`);
    for (const ct of unobserved ? [] : w.containers) {
      const parts: string[] = [];
      if (ct.seccompProfile && ct.syscalls) parts.push(`seccomp: ${ct.syscalls.observed} syscalls observed + ${ct.syscalls.baseAdded.length} runtime base → ${ct.localhostProfile}`);
      if (ct.capabilities) parts.push(`capabilities: drop ALL${ct.capabilities.add.length ? `, add ${ct.capabilities.add.join(', ')}` : ''}`);
      lines.push(`  container ${ct.name}: ${parts.length ? parts.join('; ') : 'unchanged'}`);
      if (ct.syscalls?.notInEveryReplica.length) lines.push(`    seen in some replicas only (kept): ${ct.syscalls.notInEveryReplica.join(', ')}`);
      for (const n of ct.notes) lines.push(`    note: ${n}`);
    }
    if (w.network) {
      const n = w.network;
      lines.push(`  NetworkPolicy ${(w.networkPolicies[0]?.metadata.name as string) ?? ''}: ${n.observedFlows} observed ${n.observedFlows === 1 ? 'flow' : 'flows'} (+ DNS), ${n.checked} checked with the reachability engine, ${n.deniedObserved.length} denied`);
      for (const d of n.deniedObserved) lines.push(`    DENIED although observed: ${d.src} => ${d.dst} : ${d.port}`);
      if (n.newlyDeniedConnections) {
        lines.push(`    newly denied (allowed before): ${n.newlyDeniedConnections} ${n.newlyDeniedConnections === 1 ? 'connection' : 'connections'}`);
        for (const g of n.newlyDenied.slice(0, 6)) {
          const shown = g.peers.slice(0, 4).join(', ') + (g.peers.length > 4 ? ` and ${g.peers.length - 4} more` : '');
          lines.push(`      ${g.direction === 'ingress' ? 'from' : 'to'} ${shown}: ${g.ports}`);
        }
        if (n.newlyDenied.length > 6) lines.push(`      … and ${n.newlyDenied.length - 6} more groups (--format json lists them all)`);
      }
      for (const note of n.notes) lines.push(`    note: ${note}`);
    }
    for (const note of w.notes) lines.push(`  note: ${note}`);
    lines.push(`  RBAC: ${w.rbac.status}${w.rbac.roles.length ? ` (service account section below)` : ''}`);
  }
  for (const a of r.serviceAccounts ?? []) {
    lines.push('', `service account ${a.serviceAccount.namespace}/${a.serviceAccount.name}: ${a.requests + a.denied === 0 ? 'no request in the audit logs' : `${a.requests} allowed, ${a.denied} refused ${a.requests + a.denied === 1 ? 'request' : 'requests'}`}${a.firstSeen ? `, ${a.firstSeen} to ${a.lastSeen}` : ''}${a.workloads.length ? `; runs ${a.workloads.map((w) => `${w.namespace}/${w.name} (${w.kind})`).join(', ')}` : '; no workload of the inventory runs as it'}`);
    for (const role of a.roles) {
      const rules = (role as unknown as { rules: Array<{ apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] }> }).rules;
      lines.push(`  ${role.kind} ${role.metadata.namespace ? `${role.metadata.namespace}/` : ''}${role.metadata.name}:`);
      for (const x of rules) {
        const what = x.nonResourceURLs ? x.nonResourceURLs.join(',') : x.resources!.map((res) => `${x.apiGroups![0] ? `${x.apiGroups![0]}/` : ''}${res}`).join(',');
        lines.push(`    ${x.verbs.join(',')} ${what}${x.resourceNames ? ` names ${x.resourceNames.join(',')}` : ''}`);
      }
    }
    if (a.proof.checked) lines.push(`  checked: ${a.proof.checked} observed ${a.proof.checked === 1 ? 'request' : 'requests'} allowed by the new roles alone${a.proof.denied.length ? `, ${a.proof.denied.length} NOT: ${a.proof.denied.join('; ')}` : ''}`);
    for (const b of a.unnecessaryBindings) lines.push(`  unnecessary: ${b.binding} (${b.role}) → ${b.action === 'delete' ? 'delete it' : 'remove the account from its subjects'}${b.pathsClosed !== undefined ? `; with the new roles closes ${b.pathsClosed} attack ${b.pathsClosed === 1 ? 'path' : 'paths'}` : ''}${b.used.length ? `; used through it: ${b.used.length} ${b.used.length === 1 ? 'request kind' : 'request kinds'}` : '; nothing it grants was used'}`);
    if (a.pathsClosed !== undefined && a.unnecessaryBindings.length !== 1) lines.push(`  the whole change closes ${a.pathsClosed} attack ${a.pathsClosed === 1 ? 'path' : 'paths'}`);
    for (const n of a.notes) lines.push(`  note: ${n}`);
  }
  if (r.plan.length) {
    lines.push('', 'Plan:');
    for (const a of r.plan) lines.push(`  ${a.rank}. ${a.title} — effort ${a.effort}${a.pathsClosed !== undefined ? `, closes ${a.pathsClosed} attack ${a.pathsClosed === 1 ? 'path' : 'paths'}` : ''}: ${a.changes.join('; ')}`);
  }
  if (out) lines.push('', `patch set written to ${out} (kubectl apply -k ${out}, after adding your base to its resources)`);
  return lines.join('\n') + '\n';
}

function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}

const GROUP_VERSION: Record<string, [string, string]> = {
  Deployment: ['apps', 'v1'],
  StatefulSet: ['apps', 'v1'],
  DaemonSet: ['apps', 'v1'],
  ReplicaSet: ['apps', 'v1'],
  Job: ['batch', 'v1'],
  CronJob: ['batch', 'v1'],
  Pod: ['', 'v1'],
  ReplicationController: ['', 'v1'],
};

/** The patch set: new objects (YAML), one JSON patch per workload, and a kustomization.yaml tying them together. */
export async function writePatchSet(dir: string, r: HardenResult, mode: string): Promise<void> {
  await builtin('fs/promises').mkdir(path.join(dir, 'patches'), { recursive: true });
  const yamlDocs = (objs: unknown[]): string => objs.map((o) => yamlLib().stringify(o, { lineWidth: 0 })).join('---\n');
  const nps = r.workloads.flatMap((w) => w.networkPolicies);
  const cnps = r.workloads.flatMap((w) => w.ciliumNetworkPolicies);
  const sps = r.workloads.flatMap((w) => w.seccompProfiles);
  const resources: string[] = [];
  if (nps.length) {
    await builtin('fs/promises').writeFile(path.join(dir, 'networkpolicies.yaml'), yamlDocs(nps));
    resources.push('networkpolicies.yaml');
  }
  if (cnps.length) await builtin('fs/promises').writeFile(path.join(dir, 'ciliumnetworkpolicies.yaml'), yamlDocs(cnps));
  if (sps.length) {
    await builtin('fs/promises').writeFile(path.join(dir, 'seccompprofiles.yaml'), yamlDocs(sps));
    resources.push('seccompprofiles.yaml');
  }
  if (mode === 'localhost') {
    for (const w of r.workloads)
      for (const c of w.containers) {
        if (!c.seccompProfile || !c.localhostProfile) continue;
        const file = path.join(dir, 'seccomp', ...c.localhostProfile.split('/'));
        await builtin('fs/promises').mkdir(path.dirname(file), { recursive: true });
        await builtin('fs/promises').writeFile(file, JSON.stringify(c.seccompProfile, null, 2) + '\n');
      }
  }
  const rbac = (r.serviceAccounts ?? []).flatMap((a) => [...a.roles, ...a.bindings]);
  if (rbac.length) {
    await builtin('fs/promises').writeFile(path.join(dir, 'rbac.yaml'), yamlDocs(rbac));
    resources.push('rbac.yaml');
  }
  const cleanup = (r.serviceAccounts ?? []).flatMap((a) =>
    a.unnecessaryBindings.map((b) => {
      const [kind, ns, name] = b.binding.split('/') as [string, string, string];
      const target = `${kind.toLowerCase()} ${ns ? `-n ${ns} ` : ''}${name}`;
      return `# ${a.serviceAccount.namespace}/${a.serviceAccount.name}: ${b.binding} gives ${b.role}; the new roles cover what the account used\n${b.action === 'delete' ? `kubectl delete ${target}` : `kubectl patch ${target} --type json -p '${JSON.stringify(b.patch)}'`}\n`;
    }),
  );
  if (cleanup.length) await builtin('fs/promises').writeFile(path.join(dir, 'rbac-cleanup.sh'), `#!/bin/sh\n# kordon harden: existing bindings made unnecessary by rbac.yaml. Apply rbac.yaml first, then run this.\nset -e\n${cleanup.join('')}`);
  const patches: Array<Record<string, unknown>> = [];
  for (const w of r.workloads) {
    if (!w.inInventory || w.patch.length === 0) continue;
    const gv = GROUP_VERSION[w.workload.kind];
    if (!gv) continue;
    const file = `patches/${fileSafe(`${w.workload.namespace}.${w.workload.kind.toLowerCase()}.${w.workload.name}`)}.yaml`;
    await builtin('fs/promises').writeFile(path.join(dir, file), yamlLib().stringify(w.patch, { lineWidth: 0 }));
    patches.push({ path: file, target: { ...(gv[0] ? { group: gv[0] } : {}), version: gv[1], kind: w.workload.kind, namespace: w.workload.namespace, name: w.workload.name } });
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // add the base that holds the workloads (e.g. ../base) before applying: the patches target its objects
    resources,
    ...(patches.length ? { patches } : {}),
  };
  await builtin('fs/promises').writeFile(path.join(dir, 'kustomization.yaml'), '# kordon harden patch set: add the base holding the workloads to resources (e.g. - ../base), then kubectl apply -k\n' + yamlLib().stringify(kustomization, { lineWidth: 0 }));
}
