/**
 * Event streams (JSON Lines, or a JSON array of events): Tetragon's exported events and Falco's
 * JSON output. Events are grouped per container; the window is the span of their times. An event
 * stream is never complete: it shows what happened, and its silence proves nothing.
 *
 * Tetragon: `process_exec.process.binary` (executed); `process_kprobe` / `process_lsm` with a
 * `file_arg.path` or `path_arg.path` argument (opened: file hooks such as
 * security_file_permission, security_mmap_file, fd_install); the container from
 * `process.pod` (namespace, name, workload, workload_kind, container.name, container.image.id).
 *
 * Falco: `output_fields` `proc.exepath` (or `proc.exe` when absolute: executed), `fd.name` of a
 * file (`fd.type` file, or an open* event: opened), the container from `k8s.ns.name`,
 * `k8s.pod.name`, `container.name`, `container.image.repository`/`tag`/`digest`.
 */
import type { InputProblem } from '../../inventory/types.js';
import { selectorKey, type ContainerEvidence, type ContainerSelector, type Observation } from './model.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Which event tool wrote a decoded event, or undefined. */
export function eventTool(e: unknown): 'tetragon' | 'falco' | undefined {
  if (!isObj(e)) return undefined;
  if (isObj(e['output_fields']) && ('rule' in e || 'priority' in e)) return 'falco';
  if (Object.keys(e).some((k) => /^process_(exec|exit|kprobe|lsm|tracepoint|uprobe|loader)$/.test(k))) return 'tetragon';
  return undefined;
}

interface Acc {
  ev: ContainerEvidence;
  seen: Set<string>;
}

/** Reads the events of one file (already split into decoded events with their lines). */
export function readEvents(source: string, events: Array<{ line: number; value: unknown }>, problems: InputProblem[]): ContainerEvidence[] {
  const acc = new Map<string, Acc>();
  let unplaced = 0;
  let firstUnplaced = 0;
  let unknown = 0;
  let firstUnknown = 0;
  for (const { line, value } of events) {
    const tool = eventTool(value);
    if (!tool) {
      if (!unknown++) firstUnknown = line;
      continue;
    }
    const r = tool === 'tetragon' ? tetragonEvent(value as Json) : falcoEvent(value as Json);
    if (!r) continue;
    if (!r.selector.container || (!r.selector.pod && !r.selector.workload)) {
      if (!unplaced++) firstUnplaced = line;
      continue;
    }
    const key = `${tool}|${selectorKey(r.selector)}`;
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { ev: { tool, selector: r.selector, source, line, observations: [], complete: false, completeness: `${tool} events show what happened; they do not say what did not` }, seen: new Set() }));
    if (!a.ev.selector.image && r.selector.image) a.ev.selector.image = r.selector.image;
    for (const o of r.observations) {
      const k = `${o.kind}\0${o.value}`;
      if (a.seen.has(k)) continue;
      a.seen.add(k);
      a.ev.observations.push(o);
    }
    if (r.time) {
      const w = (a.ev.window ??= {});
      if (!w.from || r.time < w.from) w.from = r.time;
      if (!w.to || r.time > w.to) w.to = r.time;
    }
  }
  if (unknown) problems.push({ source, line: firstUnknown, code: 'unknown-format', severity: 'warning', message: `${unknown} line(s) are neither Tetragon nor Falco events; skipped` });
  if (unplaced) problems.push({ source, line: firstUnplaced, code: 'wrong-type', severity: 'warning', message: `${unplaced} event(s) name no Kubernetes pod and container (host processes?); skipped` });
  return [...acc.values()].map((a) => a.ev);
}

function tetragonEvent(e: Json): { selector: ContainerSelector; observations: Observation[]; time?: string } | undefined {
  const key = Object.keys(e).find((k) => k.startsWith('process_'))!;
  const body = isObj(e[key]) ? e[key] : {};
  const proc = isObj(body['process']) ? body['process'] : {};
  const pod = isObj(proc['pod']) ? proc['pod'] : {};
  const ctr = isObj(pod['container']) ? pod['container'] : {};
  const img = isObj(ctr['image']) ? ctr['image'] : {};
  const selector: ContainerSelector = {};
  if (s(pod['namespace'])) selector.namespace = s(pod['namespace'])!;
  if (s(pod['name'])) selector.pod = s(pod['name'])!;
  if (s(pod['workload'])) selector.workload = s(pod['workload'])!;
  if (s(pod['workload_kind'])) selector.workloadKind = s(pod['workload_kind'])!;
  if (s(ctr['name'])) selector.container = s(ctr['name'])!;
  const image = s(img['id']) ?? s(img['name']);
  if (image) selector.image = image;
  const observations: Observation[] = [];
  const bin = s(proc['binary']);
  // every event's process was executed: its binary is evidence of an exec
  if (bin?.startsWith('/')) observations.push({ kind: 'exec', value: bin });
  if (key === 'process_kprobe' || key === 'process_lsm' || key === 'process_tracepoint') {
    for (const a of Array.isArray(body['args']) ? body['args'] : []) {
      if (!isObj(a)) continue;
      const f = isObj(a['file_arg']) ? a['file_arg'] : isObj(a['path_arg']) ? a['path_arg'] : undefined;
      const p = f ? s(f['path']) : undefined;
      if (p?.startsWith('/')) observations.push({ kind: 'open', value: p });
    }
  }
  const t = s(e['time']);
  return { selector, observations, ...(t ? { time: t } : {}) };
}

function falcoEvent(e: Json): { selector: ContainerSelector; observations: Observation[]; time?: string } | undefined {
  const f = e['output_fields'] as Json;
  const selector: ContainerSelector = {};
  if (s(f['k8s.ns.name'])) selector.namespace = s(f['k8s.ns.name'])!;
  if (s(f['k8s.pod.name'])) selector.pod = s(f['k8s.pod.name'])!;
  if (s(f['container.name'])) selector.container = s(f['container.name'])!;
  const repo = s(f['container.image.repository']);
  const digest = s(f['container.image.digest']);
  const tag = s(f['container.image.tag']);
  if (repo) selector.image = digest ? `${repo}@${digest}` : tag ? `${repo}:${tag}` : repo;
  const observations: Observation[] = [];
  const exe = s(f['proc.exepath']) ?? s(f['proc.exe']);
  if (exe?.startsWith('/')) observations.push({ kind: 'exec', value: exe });
  const type = s(f['evt.type']) ?? '';
  const fd = s(f['fd.name']);
  if (fd?.startsWith('/') && (s(f['fd.type']) === 'file' || /^open|^execve/.test(type))) observations.push({ kind: /^execve/.test(type) ? 'exec' : 'open', value: fd });
  const t = s(e['time']) ?? s(f['evt.time.iso8601']);
  return { selector, observations, ...(t ? { time: t } : {}) };
}

