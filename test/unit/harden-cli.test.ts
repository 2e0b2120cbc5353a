/**
 * `kordon harden` on the shop fixture (test/fixtures/harden/shop): manifests shaped like a real
 * namespace (a Deployment with a live pod and its ReplicaSet, pods gone and pods of a newer
 * revision in the traces, a StatefulSet recorded by the Security Profiles Operator, a CronJob
 * traced with strace here, CoreDNS, the API server's Service and Endpoints) and observations of
 * every format the readers take.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';
import { loadInventory } from '../../src/scan.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { ReachabilityEngine } from '../../src/network/reach.js';
import { readBehaviour } from '../../src/sources/runtime/behaviour/read.js';
import { applyAddPatch } from '../../src/harden/harden.js';
import { RUNTIME_BASE_SYSCALLS } from '../../src/harden/seccomp.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOP = path.resolve(HERE, '../fixtures/harden/shop');
const MANIFESTS = path.join(SHOP, 'manifests');
const RUNTIME = path.join(SHOP, 'runtime');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-cli-'));

interface Out {
  workloads: Array<{
    workload: { kind: string; namespace: string; name: string };
    inInventory: boolean;
    coverage: { pods: number; replicas?: number; thin: boolean; reasons: string[]; revisions?: string[]; windowSeconds?: number; attribution: string[]; profiles: number };
    containers: Array<{ name: string; seccompProfile: { defaultAction: string; syscalls: Array<{ names: string[]; action: string }> } | null; capabilities: { drop: string[]; add: string[] } | null; localhostProfile?: string; syscalls?: { notInEveryReplica: string[]; baseAdded: string[] }; notes: string[] }>;
    networkPolicies: K8sObject[];
    ciliumNetworkPolicies: K8sObject[];
    seccompProfiles: K8sObject[];
    rbac: { roles: unknown[]; bindings: unknown[]; status: string };
    patch: Array<{ op: 'add'; path: string; value: unknown }>;
    network?: { deniedObserved: unknown[]; newlyDenied: Array<{ direction: string; ports: string; peers: string[] }>; newlyDeniedConnections: number; checked: number; notes: string[] };
    notes: string[];
  }>;
  plan: Array<{ rank: number; workload: { name: string }; effort: string; pathsClosed?: number }>;
  problems: Array<{ source: string; line?: number; severity: string }>;
  partial: boolean;
}

let json: Out;
let raw: string;
const wl = (name: string): Out['workloads'][number] => {
  const w = json.workloads.find((x) => x.workload.name === name);
  assert.ok(w, `workload ${name} in the output`);
  return w;
};

before(async () => {
  const r = await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '-f', 'json', '-q', '--no-config']);
  raw = r.out;
  json = JSON.parse(r.out) as Out;
  assert.equal(r.code, 3, 'the fixture holds bad lines on purpose: partial input');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('kordon harden', () => {
  it('has the JSON shape of the issue', () => {
    for (const w of json.workloads) {
      assert.deepEqual(Object.keys(w.workload).sort(), ['kind', 'name', 'namespace']);
      assert.ok(w.coverage && Array.isArray(w.containers) && Array.isArray(w.networkPolicies));
      assert.ok(Array.isArray(w.rbac.roles) && Array.isArray(w.rbac.bindings));
      for (const c of w.containers) assert.ok('name' in c && 'seccompProfile' in c && 'capabilities' in c);
    }
    assert.ok(Array.isArray(json.problems) && json.problems.length > 0);
    assert.equal(json.partial, true);
    assert.deepEqual(
      json.workloads.map((w) => `${w.workload.namespace}/${w.workload.name}`),
      ['shop/api', 'shop/db', 'shop/report', 'shop/web'],
      'CoreDNS is only a peer: no policy is made for kube-system',
    );
  });

  it('merges replicas: a live pod, a pod gone (pod-template-hash) and a pod of a newer revision are one Deployment', () => {
    const web = wl('web');
    assert.equal(web.coverage.pods, 3);
    assert.equal(web.coverage.replicas, 3);
    assert.deepEqual(web.coverage.revisions, ['5d8f7c9b6d', '7c6b5a4d3f']);
    assert.equal(web.coverage.thin, false);
    const nginx = web.containers.find((c) => c.name === 'nginx')!;
    const names = nginx.seccompProfile!.syscalls[0]!.names;
    // never tighter than observed: a syscall seen in one replica only is kept, and said
    assert.ok(names.includes('sendfile') && names.includes('pread64'));
    assert.deepEqual(nginx.syscalls!.notInEveryReplica, ['pread64', 'sendfile']);
    assert.equal(nginx.seccompProfile!.defaultAction, 'SCMP_ACT_ERRNO');
  });

  it('every observed syscall is in the profile of its container, plus the runtime base set', async () => {
    const s = await readBehaviour([RUNTIME]);
    const byContainer = new Map<string, Set<string>>();
    const owner = (pod: string | undefined, workload: string | undefined): string | undefined => workload ?? pod?.replace(/-[a-z0-9]+-[a-z0-9]+$/, '').replace(/-\d+$/, '');
    for (const sub of s.subjects.values()) {
      const name = sub.ref.recording ? 'db' : owner(sub.ref.pod, sub.ref.workload?.name);
      for (const [c, b] of sub.containers) {
        const k = `${name}/${c}`;
        const set = byContainer.get(k) ?? new Set<string>();
        for (const sc of b.syscalls.keys()) set.add(sc);
        byContainer.set(k, set);
      }
    }
    let checked = 0;
    for (const [k, observed] of byContainer) {
      if (observed.size === 0) continue;
      const [w, c] = k.split('/');
      const profile = wl(w!).containers.find((x) => x.name === c)!.seccompProfile!;
      const allowed = new Set(profile.syscalls.flatMap((r) => r.names));
      for (const sc of observed) assert.ok(allowed.has(sc), `${k}: ${sc} observed but not allowed`);
      for (const sc of RUNTIME_BASE_SYSCALLS) assert.ok(allowed.has(sc), `${k}: base ${sc} missing`);
      checked++;
    }
    assert.ok(checked >= 5, `containers checked: ${checked}`);
  });

  it('capabilities: drop ALL, add back only the granted ones observed; denied checks and unused adds are said', () => {
    const nginx = wl('web').containers.find((c) => c.name === 'nginx')!;
    assert.deepEqual(nginx.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    assert.ok(nginx.notes.some((n) => /denied.*SYS_ADMIN/.test(n)));
    assert.ok(nginx.notes.some((n) => /not used in the window, now dropped: NET_ADMIN/.test(n)));
    assert.deepEqual(wl('db').containers.find((c) => c.name === 'postgres')!.capabilities, { drop: ['ALL'], add: ['CHOWN', 'SETGID', 'SETUID'] });
    // Kubescape's empty capability list: traced, none used
    assert.deepEqual(wl('api').containers.find((c) => c.name === 'api')!.capabilities, { drop: ['ALL'], add: [] });
  });

  it('the pod patch points at the SPO profile it ships and applies to the workload', async () => {
    const web = wl('web');
    assert.equal(web.seccompProfiles.length, 1);
    const sp = web.seccompProfiles[0]!;
    assert.equal(sp.kind, 'SeccompProfile');
    const nginx = web.containers.find((c) => c.name === 'nginx')!;
    // SPO v0.9+: cluster-scoped, at operator/<name>.json; the name carries the namespace
    assert.equal(sp.metadata.namespace, undefined);
    assert.equal(sp.metadata.name, 'shop-web-nginx');
    assert.equal(nginx.localhostProfile, `operator/${sp.metadata.name}.json`);
    const { inventory } = await loadInventory([MANIFESTS]);
    const dep = inventory.get('Deployment', 'shop', 'web')!.object;
    const patched = applyAddPatch(dep, web.patch) as unknown as { spec: { template: { spec: { containers: Array<{ securityContext: Record<string, unknown> }> } } } };
    const sc = patched.spec.template.spec.containers[0]!.securityContext;
    assert.deepEqual(sc.seccompProfile, { type: 'Localhost', localhostProfile: nginx.localhostProfile });
    assert.deepEqual(sc.capabilities, { drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    // api's containers had no securityContext: the patch adds it whole
    assert.ok(wl('api').patch.every((op) => op.path.endsWith('/securityContext')));
  });

  it('NetworkPolicies: every observed flow stays allowed (checked here with the reachability engine), DNS is in, the API server by its endpoint', async () => {
    const { inventory } = await loadInventory([MANIFESTS]);
    const policies = json.workloads.flatMap((w) => w.networkPolicies);
    const after = new ReachabilityEngine(new Inventory([...inventory.objects.map((o) => ({ object: o.object, origin: o.origin })), ...policies.map((object) => ({ object, origin: { source: 'generated', documentIndex: 0, itemPointer: '', line: 0, column: 0 } }))]));
    const peer = (spec: string) => {
      const p = after.findPeer(spec);
      assert.equal(p.length, 1, `one peer for ${spec}`);
      return p[0]!;
    };
    const observed: Array<[string, string, 'TCP' | 'UDP', number]> = [
      ['203.0.113.10', 'shop/web[Deployment]', 'TCP', 8080],
      ['shop/web[Deployment]', 'shop/api[Deployment]', 'TCP', 9000], // to the Service's ClusterIP, port 80 → targetPort 9000
      ['shop/api[Deployment]', 'shop/db[StatefulSet]', 'TCP', 5432],
      ['shop/api[Deployment]', '93.184.216.34', 'TCP', 443],
      ['shop/api[Deployment]', '172.18.0.2', 'TCP', 6443],
      ['shop/web[Deployment]', 'kube-system/coredns[Deployment]', 'UDP', 53],
      ['shop/report[CronJob]', 'shop/api[Deployment]', 'TCP', 9000],
      ['shop/report[CronJob]', 'kube-system/coredns[Deployment]', 'UDP', 53],
    ];
    for (const [s, d, proto, port] of observed) assert.ok(after.explain(peer(s), peer(d)).allowed.contains(proto, port), `${s} => ${d} ${proto}/${port} denied`);
    // and what was dropped already stays denied; other ports are closed
    assert.ok(!after.explain(peer('shop/web[Deployment]'), peer('shop/db[StatefulSet]')).allowed.contains('TCP', 5432));
    assert.ok(!after.explain(peer('198.51.100.1'), peer('shop/api[Deployment]')).allowed.contains('TCP', 9000));
    for (const w of json.workloads) assert.deepEqual(w.network?.deniedObserved ?? [], [], `${w.workload.name}: kordon's own proof`);
    const api = wl('api').networkPolicies[0]!.spec as { egress: Array<{ to: Array<{ ipBlock?: { cidr: string } }> }> };
    const cidrs = api.egress.flatMap((r) => r.to.map((t) => t.ipBlock?.cidr)).filter(Boolean);
    assert.deepEqual(cidrs.sort(), ['172.18.0.2/32', '93.184.216.34/32']);
    assert.ok(wl('api').network!.notes.some((n) => /API server/.test(n)));
    // the LoadBalancer's clients are a sample: the observed port is open to every address
    const web = wl('web').networkPolicies[0]!.spec as { ingress: Array<{ from: Array<{ ipBlock?: { cidr: string } }> }> };
    assert.equal(web.ingress[0]!.from[0]!.ipBlock!.cidr, '0.0.0.0/0');
  });

  it('lists what the new policies deny that was allowed before, grouped by ports, external ranges merged', () => {
    const db = wl('db').network!;
    assert.ok(db.newlyDenied.some((g) => g.direction === 'ingress' && g.ports === 'All Connections' && g.peers.includes('shop/web[Deployment]')));
    assert.ok(db.newlyDenied.some((g) => g.direction === 'ingress' && /TCP 1-5431,5433-65535/.test(g.ports) && g.peers.includes('shop/api[Deployment]')));
    const web = wl('web').network!;
    // the external ranges are cut at every ipBlock of the generated policies, and merged back here
    assert.ok(web.newlyDenied.some((g) => g.direction === 'ingress' && g.peers.join() === '0.0.0.0-255.255.255.255[External]' && /TCP 1-8079,8081-65535/.test(g.ports)));
    assert.equal(web.newlyDeniedConnections, 18);
  });

  it('CiliumNetworkPolicies: endpoints by namespace label, FQDNs, the API server and DNS entities', () => {
    const c = wl('api').ciliumNetworkPolicies[0]!;
    const text = JSON.stringify(c);
    assert.equal(c.apiVersion, 'cilium.io/v2');
    assert.match(text, /"toEntities":\["kube-apiserver"\]/);
    assert.match(text, /"matchName":"example.com"/);
    assert.match(text, /"k8s:io.kubernetes.pod.namespace":"kube-system","k8s:k8s-app":"kube-dns"/);
  });

  it('plan actions: ranked by attack paths closed (the graph what-if), with an effort', () => {
    assert.deepEqual(json.plan.map((a) => a.rank), json.plan.map((_, i) => i + 1));
    const first = json.plan[0]!;
    assert.ok((first.pathsClosed ?? 0) >= 1, 'the LoadBalancer → web → db path is closed');
    for (const a of json.plan) assert.ok(['low', 'medium', 'high'].includes(a.effort));
  });

  it('RBAC is said not to be computed (not silently empty)', () => {
    for (const w of json.workloads) assert.match(w.rbac.status, /not computed/);
  });

  it('thin coverage is said: a longer required window, replicas not all seen', async () => {
    const r = await runCli(['harden', MANIFESTS, '--runtime', path.join(RUNTIME, 'tetragon.jsonl'), '--thin-window', '100', '-f', 'json', '-q', '--no-config']);
    const web = (JSON.parse(r.out) as Out).workloads.find((w) => w.workload.name === 'web')!;
    assert.equal(web.coverage.thin, true);
    assert.ok(web.coverage.reasons.some((x) => /thin below 4 d/.test(x)));
    const r2 = await runCli(['harden', MANIFESTS, '--runtime', path.join(RUNTIME, 'kordon-report.lines'), '-f', 'json', '-q', '--no-config']);
    assert.ok(r2.out.length > 0);
  });

  it('the same input gives byte-identical JSON', async () => {
    const again = await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '-f', 'json', '-q', '--no-config']);
    assert.equal(again.out, raw);
  });

  it('text output: one block per workload, problems first', async () => {
    const r = await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '-q', '--no-config']);
    assert.match(r.out, /^computed from partial input/);
    assert.match(r.out, /shop\/web \(Deployment\): 3 pods of 3 replicas/);
    assert.match(r.out, /container nginx: seccomp: \d+ syscalls observed \+ \d+ runtime base → operator\/shop-web-nginx\.json; capabilities: drop ALL, add NET_BIND_SERVICE/);
    assert.equal((r.out.match(/^shop\/web \(Deployment\)/gm) ?? []).length, 1);
  });

  it('--out writes a patch set: objects, JSON patches and a kustomization that targets the workloads', async () => {
    const dir = path.join(tmp, 'patchset');
    const r = await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '--out', dir, '-q', '--no-config']);
    assert.equal(r.code, 3);
    const k = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; patches: Array<{ path: string; target: { kind: string; name: string; group?: string } }> };
    assert.deepEqual(k.resources, ['networkpolicies.yaml', 'seccompprofiles.yaml']);
    const web = k.patches.find((p) => p.target.name === 'web')!;
    assert.deepEqual(web.target, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' } as unknown);
    const ops = parse(readFileSync(path.join(dir, web.path), 'utf8')) as unknown[];
    assert.deepEqual(ops, wl('web').patch);
    const nps = parseAllDocuments(readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);
    assert.equal(nps.length, 4);
    assert.ok(existsSync(path.join(dir, 'ciliumnetworkpolicies.yaml')));
    const local = path.join(tmp, 'patchset-local');
    await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '--out', local, '--seccomp', 'localhost', '-q', '--no-config']);
    const profile = JSON.parse(readFileSync(path.join(local, 'seccomp/kordon/shop/web-nginx.json'), 'utf8')) as { syscalls: Array<{ names: string[] }> };
    assert.ok(profile.syscalls[0]!.names.includes('sendfile'));
    assert.deepEqual((parse(readFileSync(path.join(local, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources, ['networkpolicies.yaml']);
  });

  it('usage errors: no --runtime, a bad --seccomp', async () => {
    assert.equal((await runCli(['harden', MANIFESTS, '-q', '--no-config'])).code, 2);
    assert.equal((await runCli(['harden', MANIFESTS, '--runtime', RUNTIME, '--seccomp', 'x', '-q', '--no-config'])).code, 2);
  });
});
