/**
 * Benchmark: `kordon harden` on 10,000 pods (1,000 Deployments of 10 replicas, with their
 * ReplicaSets and live pods, in 20 namespaces), 1M Hubble flow records (JSON lines) and 50M
 * syscall events (1M kordon behaviour lines of per-pod counts, 100 syscalls per pod, count 50),
 * plus 1M Tetragon kprobe events (raw JSON lines) and 200k pods' worth of flows to pods that no
 * longer exist (attributed by pod-template-hash). Runs the CLI end to end under /usr/bin/time:
 * wall time and peak RSS, JSON written to /dev/null.
 *
 * With `--audit-events N` each Deployment runs as a service account of its own (every tenth
 * bound to `edit`, every hundredth to `cluster-admin`) and an audit log of N events (JSON lines,
 * the API server's log backend) of those accounts is given too: RBAC per service account.
 *
 *   npm run build && node --import tsx bench/harden.ts [--pods 10000] [--flows 1000000] [--audit-events 1000000] [--keep]
 *
 * Prints a Markdown table for BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { K8sObject } from '../src/inventory/types.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const PODS = arg('--pods', 10000);
const FLOWS = arg('--flows', 1_000_000);
const SYSCALL_EVENTS = arg('--syscall-events', 50_000_000);
const TETRAGON = arg('--tetragon', 1_000_000);
const AUDIT = arg('--audit-events', 0);
const REPLICAS = 10;
const NAMESPACES = 20;
const SYSCALLS = 'accept4 bind brk clock_gettime clone clone3 close connect dup dup2 epoll_create1 epoll_ctl epoll_pwait epoll_wait eventfd2 execve exit exit_group fadvise64 fchmod fchown fcntl fdatasync flock fstat fstatfs fsync ftruncate futex getcwd getdents64 getegid geteuid getgid getpeername getpgrp getpid getppid getpriority getrandom getrlimit getsockname getsockopt gettid gettimeofday getuid ioctl kill listen lseek lstat madvise membarrier mkdir mmap mprotect mremap munmap nanosleep newfstatat open openat pipe pipe2 poll ppoll prctl pread64 prlimit64 pwrite64 read readlink readv recvfrom recvmmsg recvmsg rename rseq rt_sigaction rt_sigprocmask rt_sigreturn sched_getaffinity sched_yield select sendfile sendmmsg sendmsg sendto set_robust_list set_tid_address setgid setgroups setitimer setsockopt setuid shutdown sigaltstack socket stat statfs statx sysinfo tgkill'.split(' ');

const deployments = Math.ceil(PODS / REPLICAS);
const hashOf = (d: number): string => (0x5d8f7c9b6d + d * 7919).toString(36).slice(-10).padStart(10, 'x');
const podName = (d: number, r: number): string => `app-${d}-${hashOf(d)}-${r.toString(36).padStart(5, 'q')}`;
const nsOf = (d: number): string => `team-${d % NAMESPACES}`;

async function writeLines(file: string, n: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-bench-harden-'));
  const runtime = path.join(dir, 'runtime');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(runtime);
  const t0 = Date.now();
  const items: K8sObject[] = [];
  for (let n = 0; n < NAMESPACES; n++) items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } });
  items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  items.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system' }, spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'coredns', image: 'coredns:1.11', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } } } });
  for (let d = 0; d < deployments; d++) {
    const ns = nsOf(d);
    const name = `app-${d}`;
    const labels = { app: name };
    const template = { metadata: { labels }, spec: { ...(AUDIT ? { serviceAccountName: name } : {}), containers: [{ name: 'app', image: `registry.example.com/app:${d % 7}`, ports: [{ containerPort: 8080 }] }] } };
    if (AUDIT) {
      items.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
      const role = d % 100 === 0 ? 'cluster-admin' : d % 10 === 0 ? 'edit' : undefined;
      if (role === 'cluster-admin') items.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${name}-admin` }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role } } as K8sObject);
      else if (role) items.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${name}-edit`, namespace: ns }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role } } as K8sObject);
    }
    items.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid: `d-${d}` }, spec: { replicas: REPLICAS, selector: { matchLabels: labels }, template } });
    const rs = `${name}-${hashOf(d)}`;
    const rsLabels = { ...labels, 'pod-template-hash': hashOf(d) };
    items.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: ns, uid: `rs-${d}`, labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `d-${d}`, controller: true }] }, spec: { replicas: REPLICAS, selector: { matchLabels: rsLabels }, template: { ...template, metadata: { labels: rsLabels } } } });
    // 8 of 10 replicas are live pods; 2 are gone (seen only in the traces)
    for (let r = 0; r < REPLICAS - 2; r++) items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName(d, r), namespace: ns, labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${d}`, controller: true }] }, spec: template.spec });
  }
  const manifests = path.join(dir, 'cluster.json');
  writeFileSync(manifests, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  // flows: each Deployment talks to the two next in its namespace on 8080, and to one external address on 443
  const pods = deployments * REPLICAS;
  const ep = (d: number, r: number): string => `{"namespace":"${nsOf(d)}","pod_name":"${podName(d, r)}","labels":["k8s:app=app-${d}","k8s:pod-template-hash=${hashOf(d)}","k8s:io.kubernetes.pod.namespace=${nsOf(d)}"]}`;
  await writeLines(path.join(runtime, 'hubble.jsonl'), FLOWS, (i) => {
    const d = i % deployments;
    const r = Math.floor(i / deployments) % REPLICAS;
    const kind = i % 10;
    const t = new Date(Date.UTC(2026, 0, 5) + Math.floor((i / FLOWS) * 2 * 86400_000)).toISOString();
    if (kind === 9) return `{"flow":{"time":"${t}","verdict":"FORWARDED","IP":{"source":"10.1.0.1","destination":"198.51.100.${d % 250}"},"l4":{"TCP":{"source_port":40000,"destination_port":443,"flags":{"SYN":true}}},"source":${ep(d, r)},"destination":{"labels":["reserved:world"]},"is_reply":false}}`;
    if (kind === 8) return `{"flow":{"time":"${t}","verdict":"FORWARDED","IP":{"source":"10.1.0.1","destination":"10.2.0.2"},"l4":{"UDP":{"source_port":40000,"destination_port":53}},"source":${ep(d, r)},"destination":{"namespace":"kube-system","pod_name":"coredns-abcdef1234-xyzab","labels":["k8s:k8s-app=kube-dns"],"workloads":[{"name":"coredns","kind":"Deployment"}]},"is_reply":false}}`;
    const peer = d - (d % NAMESPACES) + NAMESPACES * (1 + (i % 2)); // the next Deployments of the same namespace
    const p = peer < deployments ? peer : d % NAMESPACES;
    return `{"flow":{"time":"${t}","verdict":"FORWARDED","IP":{"source":"10.1.0.1","destination":"10.1.0.2"},"l4":{"TCP":{"source_port":40000,"destination_port":8080,"flags":{"SYN":true}}},"source":${ep(d, r)},"destination":${ep(p, (i >> 3) % REPLICAS)},"is_reply":false}}`;
  });
  // syscalls: per pod and syscall one summarised line (count = events)
  const lines = pods * SYSCALLS.length;
  const per = Math.max(1, Math.round(SYSCALL_EVENTS / lines));
  await writeLines(path.join(runtime, 'syscalls.lines'), lines + 1, (i) => {
    if (i === 0) return '# kordon behaviour v1';
    const j = i - 1;
    const pod = Math.floor(j / SYSCALLS.length);
    const d = pod % deployments;
    const r = Math.floor(pod / deployments);
    return `2026-01-0${5 + (j % 2)}T0${j % 10}:00:00Z syscall ${nsOf(d)}/${podName(d, r)} app ${SYSCALLS[j % SYSCALLS.length]} ${per}`;
  });
  await writeLines(path.join(runtime, 'tetragon.jsonl'), TETRAGON, (i) => {
    const d = i % deployments;
    const r = Math.floor(i / deployments) % REPLICAS;
    return `{"process_kprobe":{"process":{"pid":${100 + r},"binary":"/app","pod":{"namespace":"${nsOf(d)}","name":"${podName(d, r)}","container":{"name":"app"},"pod_labels":{"app":"app-${d}","pod-template-hash":"${hashOf(d)}"}}},"function_name":"__x64_sys_${SYSCALLS[i % SYSCALLS.length]}"},"time":"2026-01-05T00:00:00Z"}`;
  });
  // audit log: each account reads its ConfigMap by name, lists and watches pods, renews its lease
  const auditFile = path.join(dir, 'audit.log');
  if (AUDIT)
    await writeLines(auditFile, AUDIT, (i) => {
      const d = i % deployments;
      const ns = nsOf(d);
      const t = new Date(Date.UTC(2026, 0, 5) + Math.floor((i / AUDIT) * 2 * 86400_000)).toISOString();
      const [verb, uri, ref] = [
        ['get', `/api/v1/namespaces/${ns}/configmaps/app-${d}-config`, `{"resource":"configmaps","namespace":"${ns}","name":"app-${d}-config","apiVersion":"v1"}`],
        ['list', `/api/v1/namespaces/${ns}/pods`, `{"resource":"pods","namespace":"${ns}","apiVersion":"v1"}`],
        ['watch', `/api/v1/namespaces/${ns}/pods?watch=true`, `{"resource":"pods","namespace":"${ns}","apiVersion":"v1"}`],
        ['update', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/app-${d}-leader`, `{"resource":"leases","namespace":"${ns}","name":"app-${d}-leader","apiGroup":"coordination.k8s.io","apiVersion":"v1"}`],
      ][Math.floor(i / deployments) % 4] as [string, string, string];
      return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-${i}","stage":"ResponseComplete","requestURI":"${uri}","verb":"${verb}","user":{"username":"system:serviceaccount:${ns}:app-${d}","groups":["system:serviceaccounts","system:serviceaccounts:${ns}","system:authenticated"]},"sourceIPs":["10.1.0.1"],"objectRef":${ref},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${t}","stageTimestamp":"${t}","annotations":{"authorization.k8s.io/decision":"allow"}}`;
    });
  const sizes = [...['hubble.jsonl', 'syscalls.lines', 'tetragon.jsonl'].map((f) => path.join(runtime, f)), ...(AUDIT ? [auditFile] : [])].map((f) => `${path.basename(f)} ${(statSync(f).size / 2 ** 20).toFixed(0)} MiB`);
  const genSeconds = (Date.now() - t0) / 1000;

  const r = spawnSync('/usr/bin/time', ['-v', path.resolve('bin/kordon'), 'harden', manifests, '--runtime', runtime, ...(AUDIT ? ['--audit', auditFile] : []), '-f', 'json', '-q', '--no-config'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(r.stderr)?.[1] ?? '?';
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 2 ** 20;
  const user = /User time \(seconds\): (\S+)/.exec(r.stderr)?.[1];
  const sys = /System time \(seconds\): (\S+)/.exec(r.stderr)?.[1];
  let summary = '';
  try {
    const j = JSON.parse(r.stdout) as { summary: { events: number; subjects: number; flows: number; workloads: number }; workloads: unknown[]; problems: unknown[]; serviceAccounts?: Array<{ roles: unknown[]; unnecessaryBindings: unknown[]; pathsClosed?: number }> };
    const sa = j.serviceAccounts;
    summary = `events ${j.summary.events.toLocaleString('en')}, subjects ${j.summary.subjects}, flow keys ${j.summary.flows}, workloads ${j.summary.workloads}, problems ${j.problems.length}, output ${(r.stdout.length / 2 ** 20).toFixed(0)} MiB${sa ? `; service accounts ${sa.length}, roles ${sa.reduce((n, a) => n + a.roles.length, 0)}, unnecessary bindings ${sa.reduce((n, a) => n + a.unnecessaryBindings.length, 0)}, paths closed computed for ${sa.filter((a) => a.pathsClosed !== undefined).length}` : ''}`;
  } catch {
    summary = `exit ${r.status}: ${r.stderr.slice(-2000)}`;
  }
  console.log(`inputs (generated in ${genSeconds.toFixed(1)} s): ${items.length} objects (${deployments} Deployments, ${deployments * (REPLICAS - 2)} live pods; 2 replicas per Deployment gone), ${sizes.join(', ')}`);
  console.log('');
  console.log('| pods | flow records | syscall events | Tetragon events | audit events | wall | user+sys CPU | peak RSS | exit |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(`| ${pods.toLocaleString('en')} | ${FLOWS.toLocaleString('en')} | ${(lines * per).toLocaleString('en')} | ${TETRAGON.toLocaleString('en')} | ${AUDIT.toLocaleString('en')} | ${wall} | ${user}+${sys} s | ${rss.toFixed(2)} GiB | ${r.status} |`);
  console.log('');
  console.log(summary);
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept: ${dir}`);
}

await main();
