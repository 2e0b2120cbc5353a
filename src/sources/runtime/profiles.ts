/**
 * Profiles: Kubescape's ApplicationProfile and ContainerProfile objects
 * (`kubectl get applicationprofiles -A -o yaml`, JSON or YAML, Lists too) and kordon's own
 * RuntimeEvidence documents (docs/vulns.md).
 *
 * Kubescape: the workload from the labels `kubescape.io/workload-kind`, `-name`, `-namespace`
 * (and `kubescape.io/workload-container-name` on a ContainerProfile); per container `execs[].path`
 * (executed), `opens[].path` (opened; `⋯` stands for one path segment, `*` for any characters),
 * `syscalls[]`, `capabilities[]`, `imageID`. Complete when the annotations say
 * `kubescape.io/status: completed` (the learning period ended) and
 * `kubescape.io/completion: complete` (the node agent saw the container from its start); the
 * window starts at `metadata.creationTimestamp`.
 */
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import type { ContainerEvidence, ContainerSelector, Observation } from './model.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const KUBESCAPE_KINDS = new Set(['ApplicationProfile', 'ContainerProfile']);
export const KORDON_EVIDENCE_KIND = 'RuntimeEvidence';

function paths(list: unknown, kind: 'exec' | 'open'): Observation[] {
  const out: Observation[] = [];
  for (const e of Array.isArray(list) ? list : []) {
    const p = typeof e === 'string' ? e : isObj(e) ? s(e['path']) : undefined;
    if (!p) continue;
    const pattern = p.includes('\u22ef') || p.includes('*');
    out.push(pattern ? { kind, value: p, pattern: true } : { kind, value: p });
  }
  return out;
}

function names(list: unknown, kind: 'syscall' | 'capability'): Observation[] {
  return (Array.isArray(list) ? list : []).filter((x): x is string => typeof x === 'string' && x !== '').map((value) => ({ kind, value }));
}

export function readKubescape(obj: K8sObject, origin: Origin, problems: InputProblem[]): ContainerEvidence[] {
  const labels = obj.metadata.labels ?? {};
  const ann = obj.metadata.annotations ?? {};
  const status = ann['kubescape.io/status'];
  const completion = ann['kubescape.io/completion'];
  const complete = status === 'completed' && completion === 'complete';
  const completeness = complete
    ? 'kubescape.io/status completed and kubescape.io/completion complete: the learning period ended and the container was watched from its start'
    : `kubescape.io/status ${status ?? 'unset'}, kubescape.io/completion ${completion ?? 'unset'}: not a complete profile`;
  const created = s(obj.metadata['creationTimestamp']);
  const base: ContainerSelector = {};
  const ns = labels['kubescape.io/workload-namespace'] ?? obj.metadata.namespace;
  if (ns) base.namespace = ns;
  if (labels['kubescape.io/workload-kind']) base.workloadKind = labels['kubescape.io/workload-kind'];
  if (labels['kubescape.io/workload-name']) base.workload = labels['kubescape.io/workload-name'];
  if (!base.workload) {
    problems.push({ source: origin.source, line: origin.line, code: 'wrong-type', severity: 'warning', message: `${obj.kind} ${obj.metadata.name ?? '<unnamed>'}: no kubescape.io/workload-name label; skipped` });
    return [];
  }
  const spec = isObj(obj['spec']) ? obj['spec'] : {};
  const out: ContainerEvidence[] = [];
  const one = (c: Json, name: string | undefined): void => {
    if (!name) return;
    const sel: ContainerSelector = { ...base, container: name };
    const image = s(c['imageID']) ?? s(c['imageTag']);
    if (image) sel.image = image;
    out.push({
      tool: 'kubescape',
      selector: sel,
      source: origin.source,
      line: origin.line,
      observations: [...paths(c['execs'], 'exec'), ...paths(c['opens'], 'open'), ...names(c['syscalls'], 'syscall'), ...names(c['capabilities'], 'capability')],
      ...(created ? { window: { from: created } } : {}),
      complete,
      completeness,
    });
  };
  if (obj.kind === 'ContainerProfile') one(spec, labels['kubescape.io/workload-container-name'] ?? s(spec['name']));
  else for (const list of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of Array.isArray(spec[list]) ? spec[list] : []) if (isObj(c)) one(c, s(c['name']));
  return out;
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
