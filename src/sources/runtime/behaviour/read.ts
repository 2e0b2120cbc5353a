/**
 * Readers of observed behaviour: syscalls, capabilities and network flows (docs/harden.md,
 * "Inputs"). Each file is recognised by its content:
 *
 * - JSON lines (one event per line, streamed): Tetragon events (`process_kprobe`,
 *   `process_exec`, `process_tracepoint`), Hubble flows (`hubble observe -o json`, with or
 *   without the `flow` wrapper), Inspektor Gadget `trace capabilities` / `trace exec` /
 *   `trace network` JSON output (the older flat shape and the newer one with a `k8s` object).
 * - Kubernetes documents (YAML or JSON, Lists flattened): Security Profiles Operator
 *   `SeccompProfile` (recorded by a `ProfileRecording`, or written by Inspektor Gadget's
 *   `advise seccomp-profile` with its `seccomp.gadget.kinvolk.io/*` annotations),
 *   `ProfileRecording`, Kubescape `ApplicationProfile` / `ContainerProfile` (`syscalls`,
 *   `capabilities`) and `NetworkNeighborhood`.
 * - kordon behaviour lines (first line `# kordon behaviour v1`), streamed.
 *
 * Nothing is kept per event: everything is folded into a BehaviourSummary. A line or document
 * that cannot be read is a problem naming the file and line; the rest is still read.
 */
import { SYSCALLS_ARM64, SYSCALLS_X86_64 } from './syscall-tables.js';
import { isKubescapeProfile, KUBESCAPE_GROUP, parseKubescapeProfile } from '../kubescape.js';
import type { K8sObject } from '../../../inventory/types.js';
import { createReadStream } from 'node:fs';
import { builtin } from '../../../util/builtins.js';
import path from 'node:path';
import { yamlLib } from '../../../util/yaml-lib.js';
import { BehaviourSummary, type Endpoint, type FlowSummary, type SubjectRef } from './model.js';

export interface ReadBehaviourOptions {
  /** Largest whole-document file read (JSON-lines and kordon-lines files are streamed, any size). Default 256 MiB. */
  maxDocumentBytes?: number;
  /**
   * The syscall table Tetragon raw_syscalls numbers are read with (the nodes' architecture),
   * when the event's node is not in `nodeArch`. Without either, numbers are counted, not mapped.
   */
  syscallArch?: SyscallArch;
  /** Node name → architecture (from the inventory's Nodes, label kubernetes.io/arch). */
  nodeArch?: ReadonlyMap<string, SyscallArch>;
}

export type SyscallArch = 'x86_64' | 'arm64';

/** `kubernetes.io/arch` (GOARCH) or `uname -m` → the syscall table, else undefined. */
export function syscallArchOf(arch: string | undefined): SyscallArch | undefined {
  if (arch === 'amd64' || arch === 'x86_64') return 'x86_64';
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  return undefined;
}

/** Reads every file (directories walked, sorted) into one summary. */
export async function readBehaviour(inputs: string[], opts: ReadBehaviourOptions = {}, into = new BehaviourSummary()): Promise<BehaviourSummary> {
  for (const input of inputs) {
    for (const file of await filesOf(input, into)) await readBehaviourFile(file, into, opts);
  }
  return into;
}

async function filesOf(input: string, into: BehaviourSummary): Promise<string[]> {
  let st;
  try {
    st = await builtin('fs/promises').stat(input);
  } catch (err) {
    into.problem(input, undefined, 'unreadable', `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return [];
  }
  if (!st.isDirectory()) return [input];
  const out: string[] = [];
  const entries = (await builtin('fs/promises').readdir(input, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(input, e.name);
    if (e.isDirectory()) out.push(...(await filesOf(p, into)));
    else if (/\.(json|jsonl|ndjson|ya?ml|log|txt|lines)$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** What a file holds, from its first non-blank line. */
async function sniff(file: string): Promise<'kordon' | 'jsonl' | 'documents' | 'empty'> {
  const fh = await builtin('fs/promises').open(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const first = text.split('\n').find((l) => l.trim() !== '');
    if (first === undefined) return 'empty';
    const t = first.trim();
    if (/^#\s*kordon behaviou?r v1\b/.test(t)) return 'kordon';
    if (t.startsWith('{')) {
      try {
        const v = JSON.parse(t);
        if (v && typeof v === 'object') return 'jsonl';
      } catch {
        /* a document that spans lines */
      }
    }
    return 'documents';
  } finally {
    await fh.close();
  }
}

export async function readBehaviourFile(file: string, into: BehaviourSummary, opts: ReadBehaviourOptions = {}): Promise<void> {
  into.files.push(file);
  let kind;
  try {
    kind = await sniff(file);
  } catch (err) {
    into.problem(file, undefined, 'unreadable', `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return;
  }
  if (kind === 'empty') {
    into.problem(file, undefined, 'not-kubernetes', 'empty file: no observations', 'warning');
    return;
  }
  if (kind === 'documents') return readDocumentsFile(file, into, opts);
  const state = new LineState();
  let n = 0;
  try {
    await forEachLine(file, (line) => {
      n++;
      if (kind === 'kordon') kordonLine(line, n, file, into);
      else jsonLine(line, n, file, into, state, opts);
    });
  } catch (err) {
    into.problem(file, n + 1, 'unreadable', `reading stopped: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  state.finish(file, into);
}

/** Calls `each` for every line of a file, streamed in 1 MiB chunks (no promise per line: millions of short lines). */
async function forEachLine(file: string, each: (line: string) => void): Promise<void> {
  const decoder = new (builtin('string_decoder').StringDecoder)('utf8');
  let rest = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      each(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') each(rest);
}

/** Per-file notes given once (not once per line). */
class LineState {
  unknown = 0;
  firstUnknown = 0;
  syscallNumbers = 0;
  firstSyscallNumber = 0;
  unknownNumbers = 0;
  firstUnknownNumber = 0;
  readonly unknownNumberList = new Set<string>();
  finish(file: string, into: BehaviourSummary): void {
    if (this.unknown) into.problem(file, this.firstUnknown, 'not-kubernetes', `${this.unknown} ${this.unknown === 1 ? 'line is' : 'lines are'} not an event of a known tool (Tetragon, Hubble, Inspektor Gadget); left out`, 'warning');
    if (this.syscallNumbers)
      into.problem(file, this.firstSyscallNumber, 'wrong-type', `${this.syscallNumbers} raw_syscalls tracepoint ${this.syscallNumbers === 1 ? 'event names' : 'events name'} the syscall by number only, and the node's architecture is not known (give --syscall-arch x86_64|arm64, or the Nodes with their kubernetes.io/arch label). Left out of the profiles`, 'warning');
    if (this.unknownNumbers)
      into.problem(file, this.firstUnknownNumber, 'wrong-type', `${this.unknownNumbers} raw_syscalls ${this.unknownNumbers === 1 ? 'event names a number' : 'events name numbers'} not in the syscall table (${[...this.unknownNumberList].join(', ')}; a newer kernel's syscall, or a 32-bit process): left out of the profiles`, 'warning');
  }
}

// ---------------------------------------------------------------------------------------------
// JSON lines

function jsonLine(line: string, n: number, file: string, into: BehaviourSummary, state: LineState, opts: ReadBehaviourOptions): void {
  const t = line.trim();
  if (!t) return;
  let ev: unknown;
  try {
    ev = JSON.parse(t);
  } catch {
    into.problem(file, n, 'json-syntax', 'not valid JSON; line left out');
    return;
  }
  if (!isObj(ev)) {
    into.problem(file, n, 'not-an-object', 'not a JSON object; line left out');
    return;
  }
  try {
    if (tetragon(ev, n, file, into, state, opts)) return;
    if (hubble(ev, n, file, into)) return;
    if (gadget(ev, n, file, into)) return;
  } catch (err) {
    into.problem(file, n, 'wrong-type', `event left out: ${(err as Error).message}`);
    return;
  }
  state.unknown++;
  if (!state.firstUnknown) state.firstUnknown = n;
}

function syscallName(arch: SyscallArch, id: number): string | undefined {
  const t = arch === 'x86_64' ? SYSCALLS_X86_64 : SYSCALLS_ARM64;
  return Object.prototype.hasOwnProperty.call(t, id) ? t[id] : undefined;
}

const TETRAGON_KINDS = ['process_kprobe', 'process_exec', 'process_tracepoint', 'process_exit', 'process_lsm', 'process_uprobe'];

function tetragon(ev: Record<string, unknown>, n: number, file: string, into: BehaviourSummary, state: LineState, opts: ReadBehaviourOptions): boolean {
  const kind = TETRAGON_KINDS.find((k) => k in ev);
  if (!kind) return false;
  const body = ev[kind];
  if (!isObj(body)) throw new Error(`${kind} is not an object`);
  const proc = body.process;
  const pod = isObj(proc) ? proc.pod : undefined;
  if (!isObj(pod)) return true; // a host process: nothing to attribute
  const namespace = str(pod.namespace);
  const name = str(pod.name);
  if (!namespace || !name) {
    into.problem(file, n, 'wrong-type', 'Tetragon event: process.pod has no namespace or name; left out');
    return true;
  }
  const container = isObj(pod.container) ? str(pod.container.name) : undefined;
  if (!container) {
    into.problem(file, n, 'wrong-type', 'Tetragon event: process.pod.container.name missing; left out');
    return true;
  }
  const ref: SubjectRef = { namespace, pod: name };
  const labels = stringMap(pod.pod_labels);
  if (labels) ref.labels = labels;
  const wl = str(pod.workload);
  const wk = str(pod.workload_kind);
  if (wl && wk) ref.workload = { kind: wk, name: wl };
  const s = into.subject(ref, file);
  into.touch(s, timeOf(ev.time));
  const c = into.container(s, container);
  if (kind === 'process_exec') {
    into.addSyscalls(c, ['execve']);
    return true;
  }
  if (kind === 'process_tracepoint') {
    if (str(body.subsys) === 'raw_syscalls') {
      // sys_enter and sys_exit carry the syscall's number first (int64: a string in Tetragon's JSON)
      const first = Array.isArray(body.args) && isObj(body.args[0]) ? (body.args[0].long_arg ?? body.args[0].int_arg ?? body.args[0].size_arg) : undefined;
      const id = typeof first === 'number' ? first : typeof first === 'string' && /^-?\d+$/.test(first) ? Number(first) : undefined;
      const node = str(ev.node_name);
      const arch = (node ? opts.nodeArch?.get(node) : undefined) ?? opts.syscallArch;
      if (id === undefined) into.problem(file, n, 'wrong-type', 'Tetragon raw_syscalls event: no syscall number in args[0]; left out');
      else if (!arch) {
        state.syscallNumbers++;
        if (!state.firstSyscallNumber) state.firstSyscallNumber = n;
      } else {
        const name = syscallName(arch, id);
        if (name) into.addSyscalls(c, [name]);
        else {
          state.unknownNumbers++;
          if (!state.firstUnknownNumber) state.firstUnknownNumber = n;
          if (state.unknownNumberList.size < 10) state.unknownNumberList.add(`${arch} ${id}`);
        }
      }
    }
    return true;
  }
  if (kind === 'process_kprobe' || kind === 'process_lsm') {
    const fn = str(body.function_name);
    const args = Array.isArray(body.args) ? body.args : [];
    const caps: string[] = [];
    for (const a of args) if (isObj(a) && isObj(a.capability_arg)) caps.push(str(a.capability_arg.name) ?? '');
    if (caps.length) {
      // cap_capable and friends return 0 when the capability is granted
      const ret = isObj(body.return) ? body.return.int_arg : undefined;
      const denied = typeof ret === 'number' && ret !== 0;
      const bad = into.addCapabilities(c, caps.filter(Boolean), denied);
      if (bad.length) into.problem(file, n, 'wrong-type', `Tetragon event: not a capability name: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    } else if (fn && /(^|_)sys_/.test(fn)) {
      const bad = into.addSyscalls(c, [fn]);
      if (bad.length) into.problem(file, n, 'wrong-type', `Tetragon event: function_name ${JSON.stringify(fn)} is not a syscall`);
    }
  }
  return true;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

function hubble(ev: Record<string, unknown>, n: number, file: string, into: BehaviourSummary): boolean {
  const flow = isObj(ev.flow) ? ev.flow : 'IP' in ev || 'l4' in ev || ('source' in ev && 'destination' in ev && 'verdict' in ev) ? ev : undefined;
  if (!flow) return false;
  if (flow.is_reply === true) return true; // the answer of a connection counted in its own direction
  const l4 = flow.l4;
  if (!isObj(l4)) return true; // no transport layer (ICMP, L7 without l4): no port to allow
  let protocol: FlowSummary['protocol'] | undefined;
  let port: number | undefined;
  for (const p of PROTOCOLS) {
    const x = l4[p];
    if (isObj(x)) {
      protocol = p;
      port = typeof x.destination_port === 'number' ? x.destination_port : undefined;
      // a TCP packet that is not the first of its connection says nothing new
      if (p === 'TCP' && isObj(x.flags) && x.flags.ACK === true && x.flags.SYN !== true) return true;
    }
  }
  if (!protocol) return true; // ICMP
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    into.problem(file, n, 'wrong-type', 'Hubble flow: l4 destination_port missing or out of range; left out');
    return true;
  }
  const ip = isObj(flow.IP) ? flow.IP : {};
  const dstNames = Array.isArray(flow.destination_names) ? flow.destination_names.map(String).map((s) => s.replace(/\.$/, '')) : [];
  const src = hubbleEndpoint(flow.source, str(ip.source), []);
  const dst = hubbleEndpoint(flow.destination, str(ip.destination), dstNames);
  if (!src || !dst) {
    into.problem(file, n, 'wrong-type', 'Hubble flow: an end has neither a pod nor an IP address; left out');
    return true;
  }
  const verdict = str(flow.verdict) ?? 'FORWARDED';
  if (verdict === 'ERROR') return true;
  into.addFlow(src, dst, protocol, port, timeOf(flow.time ?? ev.time), file, verdict === 'DROPPED');
  return true;
}

function hubbleEndpoint(e: unknown, ip: string | undefined, names: string[]): Endpoint | undefined {
  const labelList = isObj(e) && Array.isArray(e.labels) ? e.labels.map(String) : [];
  const reserved = labelList.filter((l) => l.startsWith('reserved:')).map((l) => l.slice('reserved:'.length));
  if (isObj(e)) {
    const namespace = str(e.namespace);
    const pod = str(e.pod_name);
    if (namespace && pod) {
      const labels: Record<string, string> = {};
      for (const l of labelList) {
        if (!l.startsWith('k8s:')) continue;
        const body = l.slice(4);
        const eq = body.indexOf('=');
        const k = eq === -1 ? body : body.slice(0, eq);
        // Cilium's own labels about the pod, not the pod's labels
        if (k.startsWith('io.kubernetes.pod.') || k.startsWith('io.cilium.k8s.') || k === 'io.kubernetes.pod.namespace') continue;
        labels[k] = eq === -1 ? '' : body.slice(eq + 1);
      }
      const ref: SubjectRef = { namespace, pod, ...(Object.keys(labels).length ? { labels } : {}) };
      const wls = Array.isArray(e.workloads) ? e.workloads : [];
      const w = wls.find((x) => isObj(x) && str(x.name) && str(x.kind));
      if (isObj(w)) ref.workload = { kind: str(w.kind)!, name: str(w.name)! };
      return { type: 'pod', ref };
    }
  }
  if (!ip) return undefined;
  return { type: 'ip', ip, ...(names.length ? { names: [...new Set(names)].sort() } : {}), ...(reserved.includes('kube-apiserver') ? { apiServer: true } : {}) };
}

/** Inspektor Gadget JSON output: trace capabilities, trace exec, trace network (flat or with a `k8s` object). */
function gadget(ev: Record<string, unknown>, n: number, file: string, into: BehaviourSummary): boolean {
  const k8s = isObj(ev.k8s) ? ev.k8s : undefined;
  const namespace = str(k8s?.namespace ?? ev.namespace);
  const pod = str(k8s?.podName ?? k8s?.pod ?? ev.pod);
  const container = str(k8s?.containerName ?? k8s?.container ?? ev.container);
  const isCap = 'capName' in ev || ('cap' in ev && ('capable' in ev || 'audit' in ev || 'verdict' in ev));
  const isExec = !isCap && 'args' in ev && ('comm' in ev || 'proc' in ev) && !('pktType' in ev);
  const isNet = 'pktType' in ev || ('remoteKind' in ev && 'port' in ev);
  if (!isCap && !isExec && !isNet) return false;
  if (!namespace || !pod || !container) {
    // events of host processes carry no pod
    if (!namespace && !pod) return true;
    into.problem(file, n, 'wrong-type', 'Inspektor Gadget event: namespace, pod or container missing; left out');
    return true;
  }
  const ref: SubjectRef = { namespace, pod };
  const labels = stringMap(k8s?.podLabels ?? ev.podLabels);
  if (labels) ref.labels = labels;
  const s = into.subject(ref, file);
  const time = timeOf(ev.timestamp ?? ev.time);
  into.touch(s, time);
  const c = into.container(s, container);
  if (isCap) {
    const raw = typeof ev.capName === 'string' ? ev.capName : typeof ev.cap === 'string' ? ev.cap : undefined;
    if (!raw) {
      into.problem(file, n, 'wrong-type', 'Inspektor Gadget capability event: no capability name (capName or cap); left out');
      return true;
    }
    const verdict = str(ev.verdict);
    const denied = ev.capable === false || verdict === 'Deny';
    const bad = into.addCapabilities(c, [raw], denied);
    if (bad.length) into.problem(file, n, 'wrong-type', `Inspektor Gadget capability event: not a capability name: ${JSON.stringify(raw)}`);
    const sc = str(ev.syscall);
    if (sc) into.addSyscalls(c, [sc]);
    return true;
  }
  if (isExec) {
    into.addSyscalls(c, ['execve']);
    return true;
  }
  // trace network
  const proto = (str(ev.proto) ?? 'tcp').toUpperCase();
  const port = typeof ev.port === 'number' ? ev.port : Number(ev.port);
  if (!PROTOCOLS.includes(proto as (typeof PROTOCOLS)[number]) || !Number.isInteger(port) || port < 1 || port > 65535) {
    into.problem(file, n, 'wrong-type', 'Inspektor Gadget network event: proto or port missing or invalid; left out');
    return true;
  }
  const me: Endpoint = { type: 'pod', ref };
  const remoteKind = str(ev.remoteKind);
  const remoteNs = str(ev.remoteNamespace);
  const remoteName = str(ev.remoteName);
  let other: Endpoint | undefined;
  if (remoteKind === 'pod' && remoteNs && remoteName) {
    const rl = stringMap(ev.remoteLabels);
    other = { type: 'pod', ref: { namespace: remoteNs, pod: remoteName, ...(rl ? { labels: rl } : {}) } };
  } else if (remoteKind === 'svc' && remoteNs) {
    const rl = stringMap(ev.remoteLabels);
    // a Service: its selector names the pods behind it
    if (rl) other = { type: 'pod', ref: { namespace: remoteNs, selector: rl } };
  }
  if (!other) {
    const addr = str(ev.remoteAddr);
    if (!addr) {
      into.problem(file, n, 'wrong-type', 'Inspektor Gadget network event: no remote pod or address; left out');
      return true;
    }
    other = { type: 'ip', ip: addr };
  }
  const outgoing = str(ev.pktType) !== 'HOST';
  into.addFlow(outgoing ? me : other, outgoing ? other : me, proto as FlowSummary['protocol'], port, time, file);
  return true;
}

// ---------------------------------------------------------------------------------------------
// kordon behaviour lines

/**
 * `TIME syscall NS/POD CONTAINER NAME[,NAME...] [COUNT]`
 * `TIME capability NS/POD CONTAINER NAME[,NAME...] [COUNT]`
 * `TIME flow SRC DST PROTO/PORT [COUNT] [DNS-NAME]` where SRC and DST are `NS/POD`, `NS/Kind/NAME` or an IP address
 * TIME is RFC 3339 or `-`. `#` starts a comment line.
 */
function kordonLine(line: string, n: number, file: string, into: BehaviourSummary): void {
  const t = line.trim();
  if (!t || t.startsWith('#')) return;
  const f = t.split(/\s+/);
  const bad = (why: string): void => into.problem(file, n, 'wrong-type', `kordon behaviour line: ${why}; line left out`);
  if (f.length < 4) return bad('too few fields');
  const time = f[0] === '-' ? undefined : f[0] === lastTime.text ? lastTime.value : ((lastTime.text = f[0]!), (lastTime.value = Date.parse(f[0]!)));
  if (time !== undefined && !Number.isFinite(time)) return bad(`time ${JSON.stringify(f[0])} is neither RFC 3339 nor -`);
  const what = f[1];
  if (what === 'syscall' || what === 'capability') {
    if (f.length < 5 || f.length > 6) return bad(`a ${what} line has 5 or 6 fields`);
    const ref = podOrWorkload(f[2]!);
    if (!ref) return bad(`${JSON.stringify(f[2])} is not NAMESPACE/POD or NAMESPACE/Kind/NAME`);
    const count = f[5] === undefined ? 1 : Number(f[5]);
    if (!Number.isInteger(count) || count < 1) return bad(`count ${JSON.stringify(f[5])} is not a positive whole number`);
    const s = into.subject(ref, file);
    into.touch(s, time, count);
    const c = into.container(s, f[3]!);
    const names = f[4]!.split(',').filter(Boolean);
    const wrong = what === 'syscall' ? into.addSyscalls(c, names, count) : into.addCapabilities(c, names, false, count);
    if (wrong.length) bad(`not a ${what} name: ${wrong.map((w) => JSON.stringify(w)).join(', ')}`);
    return;
  }
  if (what === 'flow') {
    if (f.length < 5 || f.length > 7) return bad('a flow line has 5 to 7 fields');
    const src = endpointOf(f[2]!);
    const dst = endpointOf(f[3]!);
    if (!src) return bad(`${JSON.stringify(f[2])} is not NAMESPACE/POD, NAMESPACE/Kind/NAME or an IP address`);
    if (!dst) return bad(`${JSON.stringify(f[3])} is not NAMESPACE/POD, NAMESPACE/Kind/NAME or an IP address`);
    const m = /^(TCP|UDP|SCTP)\/(\d{1,5})$/i.exec(f[4]!);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) return bad(`${JSON.stringify(f[4])} is not PROTOCOL/PORT (TCP, UDP or SCTP; 1-65535)`);
    const count = f[5] === undefined ? 1 : Number(f[5]);
    if (!Number.isInteger(count) || count < 1) return bad(`count ${JSON.stringify(f[5])} is not a positive whole number`);
    if (f[6] && dst.type === 'ip') dst.names = [f[6].replace(/\.$/, '')];
    into.addFlow(src, dst, m[1]!.toUpperCase() as FlowSummary['protocol'], port, time, file, false, count);
    return;
  }
  bad(`unknown record ${JSON.stringify(what)} (syscall, capability or flow)`);
}

/** Consecutive lines often carry the same time: parsed once. */
const lastTime = { text: '', value: NaN };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function podOrWorkload(s: string): SubjectRef | undefined {
  const parts = s.split('/');
  if (parts.length === 2 && DNS_LABEL.test(parts[0]!) && DNS_SUBDOMAIN.test(parts[1]!)) return { namespace: parts[0]!, pod: parts[1]! };
  if (parts.length === 3 && DNS_LABEL.test(parts[0]!) && /^[A-Z][A-Za-z]+$/.test(parts[1]!) && DNS_SUBDOMAIN.test(parts[2]!)) return { namespace: parts[0]!, workload: { kind: parts[1]!, name: parts[2]! } };
  return undefined;
}

function endpointOf(s: string): Endpoint | undefined {
  if (/^[0-9.]+$/.test(s) || s.includes(':')) return isIp(s) ? { type: 'ip', ip: s } : undefined;
  const ref = podOrWorkload(s);
  return ref ? { type: 'pod', ref } : undefined;
}

function isIp(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((x) => Number(x) <= 255);
  return /^[0-9a-f:]+$/i.test(s) && s.includes(':');
}

// ---------------------------------------------------------------------------------------------
// Kubernetes documents

async function readDocumentsFile(file: string, into: BehaviourSummary, opts: ReadBehaviourOptions): Promise<void> {
  const max = opts.maxDocumentBytes ?? 256 * 1024 * 1024;
  let text: string;
  try {
    const st = await builtin('fs/promises').stat(file);
    if (st.size > max) {
      into.problem(file, undefined, 'too-large', `${st.size} bytes is more than the ${max} a document file may have; not read`);
      return;
    }
    text = await builtin('fs/promises').readFile(file, 'utf8');
  } catch (err) {
    into.problem(file, undefined, 'unreadable', `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return;
  }
  const lc = new (yamlLib().LineCounter)();
  let docs;
  try {
    docs = yamlLib().parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, logLevel: 'error' });
  } catch (err) {
    into.problem(file, undefined, 'yaml-syntax', `cannot parse: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const deferred: Array<() => void> = [];
  for (const doc of list) {
    const line = lc.linePos(doc.range?.[0] ?? 0).line;
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      into.problem(file, e.linePos?.[0]?.line ?? line, 'yaml-syntax', `${e.message.split('\n')[0]}; document left out`);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      into.problem(file, line, 'alias-limit', `${(err as Error).message.split('\n')[0]}; document left out`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const isList = isObj(value) && Array.isArray(value.items) && typeof value.kind === 'string' && value.kind.endsWith('List');
    const items = isList ? ((value as { items: unknown[] }).items) : [value];
    // a List's items are placed at their own lines
    const seq = isList ? (doc.contents as { get?: (k: string, keep: boolean) => unknown } | null)?.get?.('items', true) : undefined;
    const itemNodes = (seq as { items?: Array<{ range?: [number, number, number] }> } | undefined)?.items;
    items.forEach((item, i) => {
      const at = itemNodes?.[i]?.range ? lc.linePos(itemNodes[i]!.range![0]).line : line;
      try {
        documentOf(item, file, at, into, deferred);
      } catch (err) {
        into.problem(file, at, 'wrong-type', `document left out: ${(err as Error).message}`);
      }
    });
  }
  for (const d of deferred) d();
}

const SPO_GROUP = 'security-profiles-operator.x-k8s.io/';

function documentOf(obj: unknown, file: string, line: number, into: BehaviourSummary, deferred: Array<() => void>): void {
  if (!isObj(obj)) {
    into.problem(file, line, 'not-an-object', 'not an object; left out');
    return;
  }
  const kind = str(obj.kind);
  const apiVersion = str(obj.apiVersion) ?? '';
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name) ?? '<unnamed>';
  const where = `${kind ?? 'object'} ${str(meta.namespace) ? `${str(meta.namespace)}/` : ''}${name}`;
  if (!kind && ('defaultAction' in obj || 'syscalls' in obj)) {
    into.problem(file, line, 'missing-kind', 'an OCI seccomp profile names no pod or container: give the SeccompProfile object instead (Inspektor Gadget: `advise seccomp-profile` with `--output-mode=custom-resource`, which carries the seccomp.gadget.kinvolk.io/pod and /container annotations, or a Security Profiles Operator recording); left out');
    return;
  }
  if (kind === 'SeccompProfile' && apiVersion.startsWith(SPO_GROUP)) return seccompProfile(obj, meta, file, line, into, where);
  if (kind === 'ProfileRecording' && apiVersion.startsWith(SPO_GROUP)) {
    const ns = str(meta.namespace);
    const spec = isObj(obj.spec) ? obj.spec : {};
    const sel = isObj(spec.podSelector) ? stringMap(spec.podSelector.matchLabels) : undefined;
    if (!ns || !sel) {
      into.problem(file, line, 'wrong-type', `${where}: needs metadata.namespace and spec.podSelector.matchLabels; left out`);
      return;
    }
    into.recordings.set(`${ns}/${name}`, sel);
    return;
  }
  if (isKubescapeProfile({ kind, apiVersion }) && apiVersion.startsWith(KUBESCAPE_GROUP)) return kubescapeProfile(obj, file, line, into, where);
  if (kind === 'NetworkNeighborhood' && apiVersion.startsWith(KUBESCAPE_GROUP)) return networkNeighborhood(obj, meta, file, line, into, where);
  void deferred;
  into.problem(file, line, 'not-kubernetes', `${where} (${apiVersion || 'no apiVersion'}) is not an observation kordon reads (SeccompProfile, ProfileRecording, ApplicationProfile, ContainerProfile, NetworkNeighborhood); left out`, 'warning');
}

function seccompProfile(obj: Record<string, unknown>, meta: Record<string, unknown>, file: string, line: number, into: BehaviourSummary, where: string): void {
  const ann = stringMap(meta.annotations) ?? {};
  const labels = stringMap(meta.labels) ?? {};
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  if (!spec) {
    into.problem(file, line, 'wrong-type', `${where}: no spec; left out`);
    return;
  }
  const names: string[] = [];
  const rules = Array.isArray(spec.syscalls) ? spec.syscalls : [];
  for (const r of rules) {
    if (!isObj(r)) continue;
    const action = str(r.action) ?? '';
    if (action !== 'SCMP_ACT_ALLOW' && action !== 'SCMP_ACT_LOG') continue;
    if (Array.isArray(r.names)) names.push(...r.names.map(String));
  }
  const defaultAction = str(spec.defaultAction);
  if (defaultAction === 'SCMP_ACT_ALLOW' || defaultAction === 'SCMP_ACT_LOG') {
    into.problem(file, line, 'wrong-type', `${where}: defaultAction ${defaultAction} allows every syscall: it records no set of syscalls; left out`, 'warning');
    return;
  }
  let ref: SubjectRef | undefined;
  let container: string | undefined;
  const gadgetPod = ann['seccomp.gadget.kinvolk.io/pod'];
  const ns = str(meta.namespace);
  if (gadgetPod && gadgetPod.includes('/')) {
    const [pns, pod] = gadgetPod.split('/', 2);
    ref = { namespace: pns!, pod: pod! };
    container = ann['seccomp.gadget.kinvolk.io/container'];
    const okind = ann['seccomp.gadget.kinvolk.io/ownerReference-Kind'];
    const oname = ann['seccomp.gadget.kinvolk.io/ownerReference-Name'];
    if (okind && oname) ref.workload = { kind: okind, name: oname };
  } else if (labels['spo.x-k8s.io/recording-id'] && ns) {
    ref = { namespace: ns, recording: labels['spo.x-k8s.io/recording-id'], instance: str(meta.name) ?? '' };
    container = labels['spo.x-k8s.io/container-id'];
  }
  if (!ref || !container) {
    into.problem(file, line, 'wrong-type', `${where}: names no pod and container (seccomp.gadget.kinvolk.io/pod and /container annotations, or spo.x-k8s.io/recording-id and /container-id labels); left out`);
    return;
  }
  const s = into.subject(ref, file);
  into.touch(s, timeOf(meta.creationTimestamp));
  const c = into.container(s, container);
  const bad = into.addSyscalls(c, names);
  if (bad.length) into.problem(file, line, 'wrong-type', `${where}: not syscall names: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
  const base = str(spec.baseProfileName);
  if (base) into.problem(file, line, 'wrong-type', `${where}: builds on base profile ${base}, whose syscalls are not in this object; kordon adds its own runtime base set (docs/harden.md)`, 'warning');
}

/** A Kubescape profile's syscalls and capabilities (the profile read by src/sources/runtime/kubescape.ts, shared with the vulnerabilities' evidence). */
function kubescapeProfile(obj: Record<string, unknown>, file: string, line: number, into: BehaviourSummary, where: string): void {
  const p = parseKubescapeProfile(obj as unknown as K8sObject);
  if (!p.namespace || !p.workloadKind || !p.workload) {
    into.problem(file, line, 'wrong-type', `${where}: the kubescape.io/workload-kind, -name and -namespace labels are needed to know whose profile it is; left out`);
    return;
  }
  for (const m of p.problems) into.problem(file, line, 'wrong-type', `${where}: ${m}; ${m.startsWith('container ') ? 'the rest of it is read' : 'left out'}`);
  if (p.problems.includes('no spec')) return;
  const ref: SubjectRef = { namespace: p.namespace, workload: { kind: p.workloadKind, name: p.workload } };
  const s = into.subject(ref, file);
  if (p.partial) s.partial = true;
  into.touch(s, timeOf(p.created));
  for (const c of p.containers) {
    const cb = into.container(s, c.name);
    const bs = into.addSyscalls(cb, c.syscalls);
    const bc = c.capabilities ? into.addCapabilities(cb, c.capabilities) : [];
    if (bs.length || bc.length) into.problem(file, line, 'wrong-type', `${where} container ${c.name}: not syscall or capability names: ${[...bs, ...bc].map((b) => JSON.stringify(b)).join(', ')}`);
  }
}

function networkNeighborhood(obj: Record<string, unknown>, meta: Record<string, unknown>, file: string, line: number, into: BehaviourSummary, where: string): void {
  const labels = stringMap(meta.labels) ?? {};
  const ns = labels['kubescape.io/workload-namespace'] ?? str(meta.namespace);
  const wk = labels['kubescape.io/workload-kind'];
  const wn = labels['kubescape.io/workload-name'];
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  if (!ns || !wk || !wn || !spec) {
    into.problem(file, line, 'wrong-type', `${where}: needs the kubescape.io/workload-kind, -name and -namespace labels and a spec; left out`);
    return;
  }
  const sel = isObj(spec.matchLabels) ? stringMap(spec.matchLabels) : undefined;
  const me: Endpoint = { type: 'pod', ref: { namespace: ns, workload: { kind: wk, name: wn }, ...(sel ? { selector: sel } : {}) } };
  const s = into.subject(me.ref, file);
  into.touch(s, timeOf(meta.creationTimestamp));
  const containers = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => (Array.isArray(spec[k]) ? (spec[k] as unknown[]) : []));
  for (const c of containers) {
    if (!isObj(c)) continue;
    for (const dir of ['ingress', 'egress'] as const) {
      const entries = Array.isArray(c[dir]) ? c[dir] : [];
      for (const e of entries) {
        if (!isObj(e)) continue;
        const peer = neighborPeer(e, ns);
        if (!peer) {
          into.problem(file, line, 'wrong-type', `${where}: a ${dir} neighbor with neither a pod selector nor an IP address; left out`);
          continue;
        }
        const ports = Array.isArray(e.ports) ? e.ports : [];
        for (const p of ports) {
          if (!isObj(p)) continue;
          const proto = (str(p.protocol) ?? 'TCP').toUpperCase();
          const port = typeof p.port === 'number' ? p.port : Number(p.port);
          if (!PROTOCOLS.includes(proto as (typeof PROTOCOLS)[number]) || !Number.isInteger(port) || port < 1 || port > 65535) {
            into.problem(file, line, 'wrong-type', `${where}: ${dir} port ${JSON.stringify(p)} is not a protocol and port; left out`);
            continue;
          }
          const [src, dst] = dir === 'egress' ? [me, peer] : [peer, me];
          into.addFlow(src, dst, proto as FlowSummary['protocol'], port, undefined, file);
        }
      }
    }
  }
}

function neighborPeer(e: Record<string, unknown>, ownNs: string): Endpoint | undefined {
  const pod = isObj(e.podSelector) ? stringMap(e.podSelector.matchLabels) : undefined;
  const nsSel = isObj(e.namespaceSelector) ? stringMap(e.namespaceSelector.matchLabels) : undefined;
  if (pod) {
    const ns = nsSel?.['kubernetes.io/metadata.name'] ?? (nsSel ? undefined : ownNs);
    if (ns) return { type: 'pod', ref: { namespace: ns, selector: pod } };
  }
  const ip = str(e.ipAddress);
  if (ip) {
    const names = [...(Array.isArray(e.dnsNames) ? e.dnsNames.map(String) : []), ...(str(e.dns) ? [str(e.dns)!] : [])].map((x) => x.replace(/\.$/, '')).filter(Boolean);
    return { type: 'ip', ip, ...(names.length ? { names: [...new Set(names)].sort() } : {}) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return Object.keys(out).length ? out : undefined;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e17 ? v / 1e6 : v > 1e14 ? v / 1e3 : v; // ns, µs or ms since the epoch
  return undefined;
}
