/**
 * `kordon harden [PATHS|--cluster] --runtime FILE...`: least privilege from observed behaviour
 * (docs/harden.md): seccomp profiles, capability drops and NetworkPolicies per workload, the
 * patch set that applies them (--out), and plan actions ranked by attack paths closed.
 *
 * Exit code: 0; 1 when an observed flow would be denied by the generated policies (a policy
 * already in the inventory decides against it); 3 when some input could not be read.
 */
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { yamlLib } from '../util/yaml-lib.js';
import { harden, type HardenResult, type WorkloadHarden } from '../harden/harden.js';
import { readBehaviour } from '../sources/runtime/behaviour/read.js';
import { jsonChunks } from '../report/json-stream.js';
import { EXIT } from './exit-codes.js';
import { collect, UsageError, type Io } from './io.js';
import { readInventory, withClusterOptions, withInputOptions, type SourceFlags } from './inputs.js';
import { exitFor, inputState, problemJson, withProblemText } from './partial-input.js';

interface HardenFlags extends SourceFlags {
  runtime?: string[];
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
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--seccomp <mode>', 'how pods refer to their profile: spo (a SeccompProfile object, operator/<ns>/<name>.json) or localhost (a file you install, kordon/<ns>/<name>.json)', 'spo')
    .option('--out <dir>', 'write the patch set: new objects as YAML, JSON patches and a kustomization.yaml')
    .option('--thin-window <hours>', 'coverage is thin when observed over fewer hours than this', '24')
    .action(async (paths: string[], flags: HardenFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use text or json`);
      if (flags.seccomp !== 'spo' && flags.seccomp !== 'localhost') throw new UsageError(`--seccomp takes spo or localhost, not "${flags.seccomp}"`);
      const thin = Number(flags.thinWindow);
      if (!Number.isFinite(thin) || thin < 0) throw new UsageError('--thin-window takes a number of hours');
      if (!flags.runtime?.length) throw new UsageError('nothing observed: give --runtime FILE (repeatable)');
      const { inv, coverage } = await readInventory(paths, flags, io);
      const summary = await readBehaviour(flags.runtime);
      const result = harden(inv, summary, { seccomp: flags.seccomp, thinWindowHours: thin });
      const state = inputState([...inv.problems, ...result.problems], coverage);
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

export function hardenJson(r: HardenResult, state: ReturnType<typeof inputState>): Record<string, unknown> {
  return {
    schemaVersion: HARDEN_SCHEMA_VERSION,
    summary: r.summary,
    workloads: r.workloads,
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
    lines.push(`${workloadTitle(w)}${w.inInventory ? '' : ' [not in the inventory]'}: ${seen || 'flows only'}${window}`);
    if (c.thin) lines.push(`  coverage thin: ${c.reasons.join('; ')}`);
    if (c.revisions) lines.push(`  pods of ${c.revisions.length} revisions observed (pod-template-hash ${c.revisions.join(', ')}): merged`);
    for (const ct of w.containers) {
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
    lines.push(`  RBAC: ${w.rbac.status}`);
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
  await mkdir(path.join(dir, 'patches'), { recursive: true });
  const yamlDocs = (objs: unknown[]): string => objs.map((o) => yamlLib().stringify(o, { lineWidth: 0 })).join('---\n');
  const nps = r.workloads.flatMap((w) => w.networkPolicies);
  const cnps = r.workloads.flatMap((w) => w.ciliumNetworkPolicies);
  const sps = r.workloads.flatMap((w) => w.seccompProfiles);
  const resources: string[] = [];
  if (nps.length) {
    await writeFile(path.join(dir, 'networkpolicies.yaml'), yamlDocs(nps));
    resources.push('networkpolicies.yaml');
  }
  if (cnps.length) await writeFile(path.join(dir, 'ciliumnetworkpolicies.yaml'), yamlDocs(cnps));
  if (sps.length) {
    await writeFile(path.join(dir, 'seccompprofiles.yaml'), yamlDocs(sps));
    resources.push('seccompprofiles.yaml');
  }
  if (mode === 'localhost') {
    for (const w of r.workloads)
      for (const c of w.containers) {
        if (!c.seccompProfile || !c.localhostProfile) continue;
        const file = path.join(dir, 'seccomp', ...c.localhostProfile.split('/'));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify(c.seccompProfile, null, 2) + '\n');
      }
  }
  const patches: Array<Record<string, unknown>> = [];
  for (const w of r.workloads) {
    if (!w.inInventory || w.patch.length === 0) continue;
    const gv = GROUP_VERSION[w.workload.kind];
    if (!gv) continue;
    const file = `patches/${fileSafe(`${w.workload.namespace}.${w.workload.kind.toLowerCase()}.${w.workload.name}`)}.yaml`;
    await writeFile(path.join(dir, file), yamlLib().stringify(w.patch, { lineWidth: 0 }));
    patches.push({ path: file, target: { ...(gv[0] ? { group: gv[0] } : {}), version: gv[1], kind: w.workload.kind, namespace: w.workload.namespace, name: w.workload.name } });
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // add the base that holds the workloads (e.g. ../base) before applying: the patches target its objects
    resources,
    ...(patches.length ? { patches } : {}),
  };
  await writeFile(path.join(dir, 'kustomization.yaml'), '# kordon harden patch set: add the base holding the workloads to resources (e.g. - ../base), then kubectl apply -k\n' + yamlLib().stringify(kustomization, { lineWidth: 0 }));
}
