/**
 * The CIS report of `kordon node`: every item of sections 1–4 answered for each scope (a node,
 * or the control plane as the API shows it), with a summary; pretty text and deterministic JSON.
 */
import { CIS_BENCHMARK, CIS_ITEMS, CIS_STATUSES, evaluateCis, type CisItem, type CisResult, type CisStatus } from './cis.js';
import type { CisFacts } from './facts.js';
import type { InputProblem } from '../inventory/types.js';
import { formatNodeSummaries, type NodeSummary } from './node-summary.js';

export interface ScopeReport {
  /** A node name, `cluster` (the API showed no node-specific facts), or the node root read. */
  scope: string;
  /** Which components were seen and where (`kube-apiserver: mirror pod kube-system/kube-apiserver-cp1`). */
  seen: string[];
  results: CisResult[];
}

export interface ExtraFinding {
  id: string;
  severity: CisItem['severity'];
  /** `unknown`: the node did not show enough to tell (said why in the message). */
  status: 'fail' | 'pass' | 'unknown';
  message: string;
}

export interface NodeReport {
  apiVersion: 'kordon.dev/v1';
  kind: 'NodeReport';
  benchmark: string;
  access: 'api' | 'node';
  scopes: ScopeReport[];
  /** Checks beyond the benchmark (Docker's TCP socket without TLS, encryption of etcd's data volume). */
  extra: ExtraFinding[];
  summary: Record<CisStatus, number>;
  /** Each node's versions, placement and known version issues (from the API; or the node read). */
  nodes?: NodeSummary[];
  /** The vulnerability and end-of-life data behind the version checks: its date and age. */
  data?: { updated: string; ageDays: number };
  problems: InputProblem[];
}

const section = (id: string): string => id.split('.')[0]!;

/** Evaluates the items of the given sections on one scope. */
export function scopeReport(scope: string, facts: CisFacts, sections?: readonly string[]): ScopeReport {
  const items = sections ? CIS_ITEMS.filter((i) => sections.includes(section(i.id))) : CIS_ITEMS;
  const seen = Object.values(facts.components).map((c) => `${c!.component}: ${c!.where}`);
  if (facts.kubeletConfig) seen.push(`kubelet configuration: ${facts.kubeletConfig.where}`);
  if (facts.kubeProxyConfig) seen.push(`kube-proxy configuration: ${facts.kubeProxyConfig.where}`);
  return { scope, seen: seen.sort(), results: evaluateCis(facts, items) };
}

export function nodeReport(access: 'api' | 'node', scopes: ScopeReport[], extra: ExtraFinding[], problems: InputProblem[], data?: NodeReport['data']): NodeReport {
  const summary = Object.fromEntries(CIS_STATUSES.map((s) => [s, 0])) as Record<CisStatus, number>;
  for (const s of scopes) for (const r of s.results) summary[r.status]++;
  return { apiVersion: 'kordon.dev/v1', kind: 'NodeReport', benchmark: CIS_BENCHMARK, access, scopes, extra, summary, ...(data ? { data } : {}), problems };
}

const LABEL: Record<CisStatus, string> = { pass: 'PASS', fail: 'FAIL', 'needs-node-access': 'NODE', manual: 'MANUAL', 'not-applicable': 'N/A' };

export function formatNodeReport(r: NodeReport): string {
  const out: string[] = [];
  if (r.nodes?.length) out.push('Nodes', ...formatNodeSummaries(r.nodes).map((l) => `  ${l}`), '');
  out.push(`${r.benchmark}, sections 1–4 (${r.access === 'api' ? 'as the API shows them' : 'read on the node'})`);
  for (const s of r.scopes) {
    out.push('', `== ${s.scope}`);
    if (s.seen.length) for (const w of s.seen) out.push(`   read: ${w}`);
    else out.push('   read: no component of this scope');
    s.results.forEach((x, i) => {
      out.push(`[${LABEL[x.status]}] ${x.id.padEnd(7)} ${x.status === 'fail' ? `${x.severity.padEnd(8)} ` : ''}${x.title}`);
      // a run of items with the same answer and reason (the file items from the API) says it once
      const next = s.results[i + 1];
      if (!next || next.status !== x.status || next.reason !== x.reason) out.push(`         ${x.reason}`);
    });
  }
  if (r.extra.length) {
    out.push('', '== beyond the benchmark');
    for (const e of r.extra) out.push(`[${e.status === 'unknown' ? 'UNKNOWN' : LABEL[e.status]}] ${e.id} ${e.status === 'fail' ? `${e.severity} ` : ''}${e.message}`);
  }
  if (r.problems.length) {
    out.push('', 'could not read:');
    for (const p of r.problems) out.push(`  ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  }
  if (r.data) out.push('', `version data of ${r.data.updated} (${r.data.ageDays} ${r.data.ageDays === 1 ? 'day' : 'days'} old${r.data.ageDays > 90 ? ': refresh it with --data-dir' : ''})`);
  const sm = r.summary;
  out.push('', `${sm.fail} fail, ${sm.pass} pass, ${sm['needs-node-access']} need node access, ${sm.manual} manual, ${sm['not-applicable']} not applicable`);
  return out.join('\n') + '\n';
}
