/**
 * The behaviour readers (src/sources/runtime/behaviour/): each documented format is read into
 * the summary, and bad input becomes a problem naming the file and line while the rest is read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { readBehaviour } from '../../src/sources/runtime/behaviour/read.js';
import { normalCapability, normalSyscall } from '../../src/sources/runtime/behaviour/model.js';

const RUNTIME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/harden/shop/runtime');
const f = (name: string): string => path.join(RUNTIME, name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-readers-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('harden readers', () => {
  it('names: kernel entry prefixes and CAP_ are stripped', () => {
    assert.equal(normalSyscall('__x64_sys_openat'), 'openat');
    assert.equal(normalSyscall('__arm64_sys_read'), 'read');
    assert.equal(normalSyscall('sys_write'), 'write');
    assert.equal(normalSyscall('epoll_wait'), 'epoll_wait');
    assert.equal(normalCapability('CAP_NET_BIND_SERVICE'), 'NET_BIND_SERVICE');
    assert.equal(normalCapability('chown'), 'CHOWN');
  });

  it('Tetragon: kprobe syscalls, cap_capable granted and denied, exec; a truncated line and raw syscall numbers are problems', async () => {
    const s = await readBehaviour([f('tetragon.jsonl')]);
    const pods = [...s.subjects.values()].map((x) => x.ref.pod).sort();
    assert.deepEqual(pods, ['web-5d8f7c9b6d-abcde', 'web-5d8f7c9b6d-fghij', 'web-7c6b5a4d3f-klmno']);
    const first = s.subjects.get('pod:shop/web-5d8f7c9b6d-abcde')!;
    assert.deepEqual(first.ref.workload, { kind: 'Deployment', name: 'web' });
    const nginx = first.containers.get('nginx')!;
    assert.ok(nginx.syscalls.has('accept4') && nginx.syscalls.has('sendfile') && nginx.syscalls.has('execve'));
    assert.ok(!nginx.syscalls.has('cap_capable'), 'cap_capable is a kernel function, not a syscall');
    assert.deepEqual([...nginx.capabilities.keys()], ['NET_BIND_SERVICE']);
    assert.deepEqual([...nginx.deniedCapabilities.keys()], ['SYS_ADMIN']);
    assert.ok(!s.subjects.get('pod:shop/web-5d8f7c9b6d-fghij')!.containers.get('nginx')!.syscalls.has('sendfile'));
    const syntax = s.problems.find((p) => p.code === 'json-syntax');
    assert.equal(syntax?.line, 7);
    assert.equal(syntax?.source, f('tetragon.jsonl'));
    assert.ok(s.problems.some((p) => /raw_syscalls/.test(p.message) && p.severity === 'warning'));
  });

  it('Hubble: replies and mid-connection packets are skipped, DROPPED is kept apart, names lose the root dot, the API server is marked', async () => {
    const s = await readBehaviour([f('hubble.jsonl')]);
    const flows = [...s.flows.values()];
    assert.ok(!flows.some((x) => x.port === 40000), 'a reply is not a flow of its own');
    assert.ok(!flows.some((x) => x.port === 9000 && x.src.type === 'pod' && x.dst.type === 'pod'), 'an ACK without SYN starts nothing');
    const dropped = flows.find((x) => x.port === 5432 && x.src.type === 'pod' && x.src.ref.pod?.startsWith('web-'));
    assert.equal(dropped?.dropped, 1);
    assert.equal(dropped?.count, 0);
    const ext = flows.find((x) => x.dst.type === 'ip' && x.dst.ip === '93.184.216.34');
    assert.deepEqual(ext?.dst.type === 'ip' ? ext.dst.names : undefined, ['example.com']);
    const apiServer = flows.find((x) => x.dst.type === 'ip' && x.dst.ip === '172.18.0.2');
    assert.equal(apiServer?.dst.type === 'ip' && apiServer.dst.apiServer, true);
    const db = flows.find((x) => x.port === 5432 && x.count > 0)!;
    assert.equal(db.count, 2, 'the same flow seen twice is counted, not repeated');
    assert.equal(new Date(db.first!).toISOString(), '2026-01-05T00:10:02.000Z');
    assert.equal(new Date(db.last!).toISOString(), '2026-01-06T23:50:00.000Z');
    // Cilium's own labels are not the pod's labels
    const web = flows.find((x) => x.src.type === 'pod' && x.src.ref.pod === 'web-5d8f7c9b6d-abcde')!;
    assert.deepEqual(web.src.type === 'pod' ? web.src.ref.labels : undefined, { app: 'web', tier: 'frontend' });
    const p = s.problems.find((x) => x.source === f('hubble.jsonl'));
    assert.equal(p?.line, 11);
    assert.match(p!.message, /destination_port/);
  });

  it('Kubescape ApplicationProfile and NetworkNeighborhood: per workload, containers, an empty capabilities list means none used', async () => {
    const s = await readBehaviour([f('kubescape-api.yaml')]);
    const api = s.subjects.get('wl:shop/Deployment/api')!;
    assert.deepEqual([...api.containers.keys()].sort(), ['api', 'metrics']);
    const c = api.containers.get('api')!;
    assert.equal(c.syscalls.size, 22);
    assert.equal(c.capabilitiesTraced, true);
    assert.equal(c.capabilities.size, 0);
    const nn = [...s.flows.values()];
    assert.equal(nn.length, 1);
    assert.equal(nn[0]!.port, 5432);
    assert.deepEqual(nn[0]!.src.type === 'pod' ? nn[0]!.src.ref.selector : undefined, { app: 'api' });
  });

  it('Security Profiles Operator: a recorded SeccompProfile is tied to its ProfileRecording; base profiles are noted', async () => {
    const s = await readBehaviour([f('spo-db.yaml')]);
    assert.deepEqual(s.recordings.get('shop/db-recording'), { app: 'db' });
    const sub = [...s.subjects.values()][0]!;
    assert.equal(sub.ref.recording, 'db-recording');
    assert.equal(sub.ref.pod, undefined);
    assert.equal(sub.containers.get('postgres')!.syscalls.size, 20);
  });

  it('Inspektor Gadget trace capabilities: the flat and the k8s-object shapes; Deny and capable:false are denials', async () => {
    const s = await readBehaviour([f('gadget-db-capabilities.jsonl')]);
    const c = s.subjects.get('pod:shop/db-0')!.containers.get('postgres')!;
    assert.deepEqual([...c.capabilities.keys()].sort(), ['CHOWN', 'SETGID', 'SETUID']);
    assert.deepEqual([...c.deniedCapabilities.keys()], ['SYS_ADMIN']);
    assert.equal(new Date(s.subjects.get('pod:shop/db-0')!.first!).toISOString(), '2026-01-06T10:00:00.000Z', 'nanoseconds since the epoch');
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0]!.line, 5);
  });

  it('kordon behaviour lines: counts, several names, bad lines named by line', async () => {
    const s = await readBehaviour([f('kordon-report.lines')]);
    const a = s.subjects.get('pod:shop/report-29434860-q7w2x')!.containers.get('report')!;
    assert.equal(a.syscalls.get('newfstatat'), 1772);
    assert.ok(a.capabilities.has('DAC_OVERRIDE'));
    const b = s.subjects.get('pod:shop/report-29436300-z9y8x')!.containers.get('report')!;
    assert.deepEqual([...b.syscalls.keys()].sort(), ['exit_group', 'read', 'write']);
    assert.deepEqual(
      s.problems.map((p) => p.line),
      [57, 58],
    );
  });

  it('Kubernetes documents that are not observations, OCI profiles without a pod, broken YAML: problems with lines, the rest read', async () => {
    const s = await readBehaviour([f('bad.yaml'), f('spo-db.yaml')]);
    const lines = s.problems.filter((p) => p.source === f('bad.yaml')).map((p) => [p.line, p.code]);
    assert.deepEqual(lines, [
      [2, 'missing-kind'],
      [3, 'wrong-type'],
      [16, 'yaml-syntax'],
    ]);
    assert.equal(s.subjects.size, 1, 'the good file is still read');
  });

  it('Inspektor Gadget trace network and trace exec (JSON output)', async () => {
    const file = path.join(tmp, 'gadget-network.jsonl');
    writeFileSync(
      file,
      [
        { node: 'n1', namespace: 'shop', pod: 'api-6b7c8d9e0f-pqrst', container: 'api', timestamp: 1767571200000000000, pktType: 'OUTGOING', proto: 'tcp', port: 5432, remoteKind: 'pod', remoteNamespace: 'shop', remoteName: 'db-0', remoteLabels: { app: 'db' }, remoteAddr: '10.244.2.3' },
        { node: 'n1', namespace: 'shop', pod: 'web-5d8f7c9b6d-abcde', container: 'nginx', timestamp: 1767571201000000000, pktType: 'HOST', proto: 'tcp', port: 8080, remoteKind: 'raw', remoteAddr: '203.0.113.10' },
        { node: 'n1', namespace: 'shop', pod: 'api-6b7c8d9e0f-pqrst', container: 'api', timestamp: 1767571202000000000, pktType: 'OUTGOING', proto: 'udp', port: 53, remoteKind: 'svc', remoteNamespace: 'kube-system', remoteName: 'kube-dns', remoteLabels: { 'k8s-app': 'kube-dns' }, remoteAddr: '10.96.0.10' },
        { node: 'n1', namespace: 'shop', pod: 'api-6b7c8d9e0f-pqrst', container: 'api', timestamp: 1767571203000000000, pktType: 'OUTGOING', proto: 'icmp', port: 0, remoteKind: 'raw', remoteAddr: '1.1.1.1' },
        { node: 'n1', namespace: 'shop', pod: 'api-6b7c8d9e0f-pqrst', container: 'api', timestamp: 1767571204000000000, pid: 7, ppid: 1, comm: 'sh', args: ['/bin/sh', '-c', 'date'], retval: 0 },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    const s = await readBehaviour([file]);
    const flows = [...s.flows.values()].map((f) => `${f.src.type === 'pod' ? (f.src.ref.pod ?? JSON.stringify(f.src.ref.selector)) : f.src.ip} > ${f.dst.type === 'pod' ? (f.dst.ref.pod ?? JSON.stringify(f.dst.ref.selector)) : f.dst.ip} ${f.protocol}/${f.port}`);
    assert.deepEqual(flows.sort(), ['203.0.113.10 > web-5d8f7c9b6d-abcde TCP/8080', 'api-6b7c8d9e0f-pqrst > db-0 TCP/5432', 'api-6b7c8d9e0f-pqrst > {"k8s-app":"kube-dns"} UDP/53']);
    assert.ok(s.subjects.get('pod:shop/api-6b7c8d9e0f-pqrst')!.containers.get('api')!.syscalls.has('execve'));
    assert.equal(s.problems.length, 1, 'the ICMP event is named');
    assert.equal(s.problems[0]!.line, 4);
  });

  it('a missing file is a problem, not a crash', async () => {
    const s = await readBehaviour([path.join(tmp, 'nope.jsonl')]);
    assert.equal(s.problems[0]!.code, 'unreadable');
  });

  it('never throws on arbitrary JSON lines (events of the right names with the wrong shapes)', async () => {
    const keys = fc.constantFrom('flow', 'process_kprobe', 'process_exec', 'process_tracepoint', 'l4', 'IP', 'source', 'destination', 'verdict', 'capName', 'cap', 'k8s', 'pktType', 'remoteKind', 'port', 'args', 'comm', 'namespace', 'pod', 'container', 'process', 'pod_name', 'TCP', 'destination_port', 'capability_arg', 'return', 'function_name');
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(keys, tie('v'), { maxKeys: 4 })),
    })).v;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(keys, value, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 20 }), async (events) => {
        const file = path.join(tmp, `fuzz-${n++}.jsonl`);
        writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
        const s = await readBehaviour([file]);
        for (const p of s.problems) assert.equal(p.source, file);
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});

it('a YAML key that is a collection never reaches stderr as a library warning quoting the input (found by the long fuzzing run)', async () => {
  const { readBehaviourFile } = await import('../../src/sources/runtime/behaviour/read.js');
  const { BehaviourSummary } = await import('../../src/sources/runtime/behaviour/model.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-yaml-warn-'));
  const warnings: string[] = [];
  const listen = (w: Error): void => void warnings.push(w.message);
  process.on('warning', listen);
  try {
    const file = path.join(dir, 'profile.yaml');
    writeFileSync(file, 'apiVersion: spdx.softwarecomposition.kubescape.io/v1beta1\nkind: ApplicationProfile\nmetadata:\n  name: x\n  namespace: shop\n  annotations:\n    ? {token: hunter2-secret-value}\n    : y\nspec: {containers: []}\n');
    await readBehaviourFile(file, new BehaviourSummary());
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', listen);
    rmSync(dir, { recursive: true, force: true });
  }
});
