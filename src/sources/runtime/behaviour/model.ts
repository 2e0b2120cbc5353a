/**
 * Observed behaviour (syscalls, capabilities, network flows), summarised while it is read.
 *
 * The readers (read.ts) never keep events: each event is folded into a per-subject summary
 * (a pod, or a workload when the tool reports per workload) at once, so memory grows with the
 * number of distinct pods, containers, syscalls and flow keys, not with the number of events.
 * Attribution of pods to workloads is done later, against the inventory (src/harden/attribute.ts).
 */
import type { InputProblem } from '../../../inventory/types.js';

/** Who an observation belongs to, as the tool reported it. */
export interface SubjectRef {
  namespace: string;
  /** The pod's name, when the tool reports per pod. */
  pod?: string;
  /** The pod's labels, when known (used to attribute pods that no longer exist). */
  labels?: Record<string, string>;
  /** The workload, when the tool names it (Kubescape, Tetragon, Hubble, SPO recordings). */
  workload?: { kind: string; name: string };
  /** A pod selector naming the workload's pods (SPO ProfileRecording, Kubescape NetworkNeighborhood). */
  selector?: Record<string, string>;
  /** The Security Profiles Operator ProfileRecording that recorded it (`spo.x-k8s.io/recording-id`). */
  recording?: string;
  /** One recorded profile of a recording (the SeccompProfile's name): one replica's observation, pod unknown. */
  instance?: string;
}

export interface ContainerBehaviour {
  /** Syscall name → events seen (1 when the tool reports a set, not events). */
  syscalls: Map<string, number>;
  /** Capability name (no CAP_ prefix, upper case) → checks seen that were granted or whose outcome is unknown. */
  capabilities: Map<string, number>;
  /** Capability checks the kernel denied (the container ran without the capability). */
  deniedCapabilities: Map<string, number>;
  /** A source traced this container's capability checks (an empty Kubescape list counts: it used none). */
  capabilitiesTraced: boolean;
}

export interface Subject {
  key: string;
  ref: SubjectRef;
  containers: Map<string, ContainerBehaviour>;
  /** Earliest and latest event time (ms since the epoch), when the tool gives times. */
  first?: number;
  last?: number;
  events: number;
  /** Input files it was read from. */
  sources: Set<string>;
  /** The tool said the observation is partial (Kubescape's `kubescape.io/completion: partial`). */
  partial?: boolean;
}

export type Endpoint =
  | { type: 'pod'; ref: SubjectRef }
  | { type: 'ip'; ip: string; names?: string[]; apiServer?: boolean };

export interface FlowSummary {
  key: string;
  src: Endpoint;
  dst: Endpoint;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  count: number;
  first?: number;
  last?: number;
  /** Seen by a tool as dropped (denied by a policy already); kept out of the generated policies. */
  dropped: number;
  sources: Set<string>;
}

function endpointKey(e: Endpoint): string {
  if (e.type === 'ip') return `ip:${e.ip}`;
  const r = e.ref;
  if (r.pod) return `pod:${r.namespace}/${r.pod}`;
  if (r.workload) return `wl:${r.namespace}/${r.workload.kind}/${r.workload.name}`;
  return `sel:${r.namespace}/${Object.entries(r.selector ?? r.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
}

export function subjectKey(r: SubjectRef): string {
  if (r.recording) return `rec:${r.namespace}/${r.recording}/${r.instance ?? ''}`;
  if (r.pod) return `pod:${r.namespace}/${r.pod}`;
  if (r.workload) return `wl:${r.namespace}/${r.workload.kind}/${r.workload.name}`;
  return `sel:${r.namespace}/${Object.entries(r.selector ?? r.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
}

/** Capability names as Kubernetes writes them: upper case, no CAP_ prefix. */
export function normalCapability(name: string): string {
  const up = name.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** Syscall names as seccomp writes them: lower case, no kernel entry prefix (`__x64_sys_openat` → `openat`). */
export function normalSyscall(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^(__(x64|ia32|arm64|riscv|s390x|se|do)_)?(compat_)?sys_/, '');
}

const SYSCALL_NAME = /^[a-z_][a-z0-9_]{0,63}$/;
const CAPABILITY_NAME = /^[A-Z_]{2,40}$/;

export class BehaviourSummary {
  readonly subjects = new Map<string, Subject>();
  readonly flows = new Map<string, FlowSummary>();
  readonly problems: InputProblem[] = [];
  /** Input files read, in order. */
  readonly files: string[] = [];
  /** ProfileRecordings read: `namespace/name` → the pod selector's matchLabels. */
  readonly recordings = new Map<string, Record<string, string>>();
  events = 0;

  subject(ref: SubjectRef, source: string): Subject {
    const key = subjectKey(ref);
    let s = this.subjects.get(key);
    if (!s) {
      s = { key, ref: { ...ref }, containers: new Map(), events: 0, sources: new Set() };
      this.subjects.set(key, s);
    } else {
      // a later event may know more (labels, the workload)
      if (ref.labels && !s.ref.labels) s.ref.labels = ref.labels;
      if (ref.workload && !s.ref.workload) s.ref.workload = ref.workload;
    }
    s.sources.add(source);
    return s;
  }

  container(s: Subject, name: string): ContainerBehaviour {
    let c = s.containers.get(name);
    if (!c) s.containers.set(name, (c = { syscalls: new Map(), capabilities: new Map(), deniedCapabilities: new Map(), capabilitiesTraced: false }));
    return c;
  }

  /** One event (or one summarised set) at `time` (ms) for a subject. */
  touch(s: Subject, time: number | undefined, events = 1): void {
    s.events += events;
    this.events += events;
    if (time === undefined || !Number.isFinite(time)) return;
    if (s.first === undefined || time < s.first) s.first = time;
    if (s.last === undefined || time > s.last) s.last = time;
  }

  /** Adds syscalls; names that are not syscall names are returned (the caller reports them). */
  addSyscalls(c: ContainerBehaviour, names: Iterable<string>, count = 1): string[] {
    const bad: string[] = [];
    for (const raw of names) {
      const n = normalSyscall(String(raw));
      if (!SYSCALL_NAME.test(n)) {
        bad.push(String(raw));
        continue;
      }
      c.syscalls.set(n, (c.syscalls.get(n) ?? 0) + count);
    }
    return bad;
  }

  addCapabilities(c: ContainerBehaviour, names: Iterable<string>, denied = false, count = 1): string[] {
    const bad: string[] = [];
    const into = denied ? c.deniedCapabilities : c.capabilities;
    c.capabilitiesTraced = true;
    for (const raw of names) {
      const n = normalCapability(String(raw));
      if (!CAPABILITY_NAME.test(n)) {
        bad.push(String(raw));
        continue;
      }
      into.set(n, (into.get(n) ?? 0) + count);
    }
    return bad;
  }

  addFlow(src: Endpoint, dst: Endpoint, protocol: FlowSummary['protocol'], port: number, time: number | undefined, source: string, dropped = false, count = 1): void {
    const key = `${endpointKey(src)}>${endpointKey(dst)}>${protocol}/${port}`;
    let f = this.flows.get(key);
    if (!f) {
      f = { key, src, dst, protocol, port, count: 0, dropped: 0, sources: new Set() };
      this.flows.set(key, f);
    } else {
      if (dst.type === 'ip' && f.dst.type === 'ip') {
        if (dst.names?.length) f.dst.names = [...new Set([...(f.dst.names ?? []), ...dst.names])].sort();
        if (dst.apiServer) f.dst.apiServer = true;
      }
      // keep the richer description of a pod end
      for (const [mine, given] of [[f.src, src], [f.dst, dst]] as const) {
        if (mine.type === 'pod' && given.type === 'pod') {
          if (given.ref.labels && !mine.ref.labels) mine.ref.labels = given.ref.labels;
          if (given.ref.workload && !mine.ref.workload) mine.ref.workload = given.ref.workload;
        }
      }
    }
    if (dropped) f.dropped += count;
    else f.count += count;
    this.events += count;
    f.sources.add(source);
    if (time !== undefined && Number.isFinite(time)) {
      if (f.first === undefined || time < f.first) f.first = time;
      if (f.last === undefined || time > f.last) f.last = time;
    }
  }

  problem(source: string, line: number | undefined, code: InputProblem['code'], message: string, severity: InputProblem['severity'] = 'error'): void {
    this.problems.push({ source, ...(line ? { line } : {}), code, severity, message });
  }
}
