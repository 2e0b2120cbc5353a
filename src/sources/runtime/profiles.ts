/**
 * Profiles as runtime evidence: Kubescape's ApplicationProfile and ContainerProfile objects
 * (`kubectl get applicationprofiles -A -o yaml`, JSON or YAML, Lists too; read by the one
 * Kubescape reader, src/sources/runtime/kubescape.ts, which `kordon harden` uses too) and
 * kordon's own RuntimeEvidence documents (docs/vulns.md).
 */
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import type { ContainerEvidence, ContainerSelector } from './model.js';
import { KUBESCAPE_PROFILE_KINDS, parseKubescapeProfile, paths } from './kubescape.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const KUBESCAPE_KINDS = KUBESCAPE_PROFILE_KINDS;
export const KORDON_EVIDENCE_KIND = 'RuntimeEvidence';

/** A Kubescape profile as evidence records, one per container (the profile read by src/sources/runtime/kubescape.ts). */
export function readKubescape(obj: K8sObject, origin: Origin, problems: InputProblem[]): ContainerEvidence[] {
  const p = parseKubescapeProfile(obj);
  if (!p.workload) {
    problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'warning', message: `${obj.kind} ${obj.metadata.name ?? '<unnamed>'}: no kubescape.io/workload-name label; skipped` });
    return [];
  }
  for (const m of p.problems) problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'warning', message: `${p.where}: ${m}; ${m.startsWith('container ') ? 'the rest of it is read' : 'skipped'}` });
  const base: ContainerSelector = { ...(p.namespace ? { namespace: p.namespace } : {}), ...(p.workloadKind ? { workloadKind: p.workloadKind } : {}), workload: p.workload };
  return p.containers.map((c) => ({
    tool: 'kubescape' as const,
    selector: { ...base, container: c.name, ...(c.image ? { image: c.image } : {}) },
    source: origin.source,
    line: origin.line,
    observations: [...c.execs, ...c.opens, ...c.syscalls.map((value) => ({ kind: 'syscall' as const, value })), ...(c.capabilities ?? []).map((value) => ({ kind: 'capability' as const, value }))],
    ...(p.created ? { window: { from: p.created } } : {}),
    complete: p.complete,
    completeness: p.completeness,
  }));
}

/** kordon's RuntimeEvidence document (docs/vulns.md). */
export function readKordonEvidence(obj: K8sObject, origin: Origin, problems: InputProblem[]): ContainerEvidence[] {
  const list = obj['containers'];
  const out: ContainerEvidence[] = [];
  if (!Array.isArray(list)) {
    problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'error', message: 'RuntimeEvidence: containers is not a list; not read' });
    return out;
  }
  list.forEach((c, i) => {
    if (!isObj(c)) return problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'error', message: `RuntimeEvidence /containers/${i}: not an object; skipped` });
    const sel: ContainerSelector = {};
    const ns = s(c['namespace']);
    if (ns) sel.namespace = ns;
    const w = s(c['workload']);
    if (w) {
      const slash = w.indexOf('/');
      if (slash > 0) {
        sel.workloadKind = w.slice(0, slash);
        sel.workload = w.slice(slash + 1);
      } else sel.workload = w;
    }
    if (s(c['pod'])) sel.pod = s(c['pod'])!;
    if (s(c['container'])) sel.container = s(c['container'])!;
    if (s(c['image'])) sel.image = s(c['image'])!;
    if (!sel.container || (!sel.workload && !sel.pod && !sel.image)) return problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'error', message: `RuntimeEvidence /containers/${i}: needs container and one of workload, pod or image; skipped` });
    const win = isObj(c['window']) ? c['window'] : {};
    const from = s(win['from']);
    const to = s(win['to']);
    const bad = [from, to].filter((t) => t !== undefined && Number.isNaN(Date.parse(t)));
    if (bad.length) problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'warning', message: `RuntimeEvidence /containers/${i}/window: not an RFC 3339 time; the evidence is treated as incomplete` });
    const claimed = c['complete'] === true;
    const complete = claimed && !!from && !!to && bad.length === 0;
    if (claimed && !complete && !bad.length) problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'warning', message: `RuntimeEvidence /containers/${i}: complete without a window (from and to); treated as incomplete` });
    out.push({
      tool: 'kordon',
      selector: sel,
      source: origin.source,
      line: origin.line,
      observations: [...paths(c['executed'], 'exec'), ...paths(c['opened'], 'open')],
      ...(from || to ? { window: { ...(from ? { from } : {}), ...(to ? { to } : {}) } } : {}),
      complete,
      completeness: complete ? `stated complete for ${from} to ${to}` : 'not stated complete for a window',
    });
  });
  return out;
}
