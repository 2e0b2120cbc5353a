/**
 * The test harness's own control plane, scanned: the real command lines of its running
 * kube-apiserver and etcd (read from /proc) judged as `kordon node` judges a node, and the same
 * command lines modelled as the static (mirror) pods a kubeadm cluster shows in kube-system,
 * read back from the real API server by `kordon node --cluster` and `kordon scan --cluster`.
 * Both paths must give the same answer for every flag item. The kubelet configz read is tried
 * against the real server too (the harness has no kubelets: the read fails, and says so).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { applyObjects } from '../support/apply.js';
import { runCli } from '../support/cli.js';
import type { NodeReport } from '../../src/nodes/report.js';
import type { CisResult } from '../../src/nodes/cis.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { ApiClient } from '../../src/sources/cluster/client.js';
import { readKubeletConfigs } from '../../src/sources/cluster/node-config.js';

const RUN = randomBytes(3).toString('hex');
let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void> = async () => {};
let tmp: string;
const argvOf: Record<string, string[]> = {};
const created: K8sObject[] = [];

/** The pid whose command line is the harness's own (by its temp dir), from the real /proc. */
function findProcess(binary: string, marker: string): { pid: number; argv: string[] } {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').filter((w, i, a) => i < a.length - 1 || w !== '');
    } catch {
      continue;
    }
    if (path.basename(argv[0] ?? '') === binary && argv.some((w) => w.includes(marker))) return { pid: Number(e), argv };
  }
  throw new Error(`no ${binary} process of the harness (${marker}) in /proc`);
}

before(async () => {
  ({ cp, release } = await acquireControlPlane());
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-nodes-live-'));
  const api = findProcess('kube-apiserver', path.join(cp.dir, 'apiserver-certs'));
  const etcd = findProcess('etcd', path.join(cp.dir, 'etcd'));
  argvOf['kube-apiserver'] = api.argv;
  argvOf['etcd'] = etcd.argv;
  // a procfs-like tree with the two real command lines, byte for byte
  for (const p of [api, etcd]) {
    mkdirSync(path.join(tmp, 'proc', String(p.pid)), { recursive: true });
    writeFileSync(path.join(tmp, 'proc', String(p.pid), 'cmdline'), readFileSync(`/proc/${p.pid}/cmdline`));
  }
  // the mirror pods a kubeadm control-plane node would show for them
  const node = `harness-cp-${RUN}`;
  for (const [component, argv] of Object.entries(argvOf)) {
    created.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${component}-${node}`, namespace: 'kube-system', labels: { component, tier: 'control-plane' }, annotations: { 'kubernetes.io/config.source': 'file' } },
      spec: { nodeName: node, hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name: component, image: `registry.k8s.io/${component}:${component === 'etcd' ? '3.6.16-0' : cp.kubernetesVersion}`, command: argv }] },
    });
  }
  await applyObjects(cp, created);
});

after(async () => {
  for (const o of created) await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/kube-system/pods/${o.metadata.name}?gracePeriodSeconds=0`).catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  await release();
});

const FLAG_SECTIONS = /^(1\.2\.|2\.|3\.2\.1$)/;

describe('the harness control plane, scanned', { timeout: 10 * 60_000 }, () => {
  let fromNode: CisResult[];
  let fromApi: CisResult[];

  test('kordon node reads the real kube-apiserver and etcd command lines', async () => {
    const r = await runCli(['node', '--root', tmp, '-f', 'json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as NodeReport;
    fromNode = report.scopes[0]!.results;
    const get = (id: string): CisResult => fromNode.find((x) => x.id === id)!;
    const apiArgs = argvOf['kube-apiserver']!;
    const has = (prefix: string): boolean => apiArgs.some((w) => w.startsWith(prefix));
    // what the harness really runs with (test/support/controlplane.ts)
    assert.equal(get('1.2.2').status, has('--token-auth-file') ? 'fail' : 'pass');
    assert.equal(get('1.2.2').status, 'fail');
    assert.equal(get('1.2.6').status, 'pass');
    assert.equal(get('1.2.7').status, 'pass');
    assert.equal(get('1.2.8').status, 'pass');
    assert.equal(get('1.2.14').status, 'pass');
    assert.equal(get('1.2.12').status, apiArgs.includes('--disable-admission-plugins=ServiceAccount') ? 'fail' : 'pass');
    assert.equal(get('1.2.15').status, 'pass');
    assert.equal(get('1.2.16').status, 'pass');
    assert.equal(get('3.2.1').status, 'pass');
    assert.equal(get('1.2.1').status, 'fail'); // anonymous auth is left at its default
    assert.equal(get('1.2.23').status, 'fail'); // etcd over plain http
    assert.equal(get('2.1').status, 'fail');
    assert.equal(get('2.2').status, 'fail');
    assert.equal(get('1.3.2').status, 'not-applicable'); // the harness runs no controller-manager
  });

  test('the same command lines as mirror pods, read from the real API server, give the same answers', async () => {
    const r = await runCli(['node', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-q', '-f', 'json']);
    assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
    const report = JSON.parse(r.out) as NodeReport;
    const scope = report.scopes.find((s) => s.scope === `node harness-cp-${RUN}`);
    assert.ok(scope, `scopes: ${report.scopes.map((s) => s.scope).join(', ')}`);
    fromApi = scope.results;
    assert.ok(scope.seen.some((w) => w.includes(`kube-apiserver-harness-cp-${RUN}`)));
    let compared = 0;
    for (const n of fromNode.filter((x) => FLAG_SECTIONS.test(x.id))) {
      const a = fromApi.find((x) => x.id === n.id)!;
      if (n.id === '1.2.28') {
        // the encryption file is on the node: from the API it needs node access, unless the flag is missing
        assert.ok(a.status === n.status || a.status === 'needs-node-access', `${n.id}: node ${n.status}, API ${a.status}`);
        continue;
      }
      assert.equal(a.status, n.status, `${n.id}: on the node ${n.status} (${n.reason}), from the API ${a.status} (${a.reason})`);
      compared++;
    }
    assert.ok(compared >= 35, `${compared} items compared`);
    // files are beyond the API
    assert.equal(fromApi.find((x) => x.id === '1.1.1')!.status, 'needs-node-access');
  });

  test('kordon scan --cluster reports the failed items as findings on the mirror pods', async () => {
    const r = await runCli(['scan', '--cluster', '--kubeconfig', cp.adminKubeconfig, '-q', '-n', 'kube-system', '--controls', 'KOR-05*', '--format', 'json']);
    const report = JSON.parse(r.out) as { findings: Array<{ controlId: string; message: string; object?: { name: string }; pointer: string }> };
    const mine = report.findings.filter((f) => f.object?.name?.endsWith(`harness-cp-${RUN}`));
    const failedIds = fromApi.filter((x) => x.status === 'fail' && /^(1\.2\.|2\.|3\.2\.1$)/.test(x.id)).map((x) => x.id).sort();
    const reported = mine.map((f) => /CIS (\S+) /.exec(f.message)?.[1] ?? '').sort();
    // every failed flag item of the API server and etcd is a finding, and nothing else
    assert.deepEqual([...new Set(reported)], failedIds);
    assert.ok(failedIds.includes('2.2') && failedIds.includes('1.2.2'));
    const etcd = mine.find((f) => f.controlId === 'KOR-0510');
    assert.ok(etcd, 'etcd without client TLS is reported');
    // secrets never: the token file's path may be named as a flag, the token itself never
    assert.ok(!r.out.includes(cp.token));
  });

  test('the DaemonSet and Job of deploy/node are accepted by the real API server (server-side dry run)', async () => {
    const { loadManifests } = await import('../../src/sources/manifests/load.js');
    const loaded = await loadManifests(['deploy/node']);
    assert.deepEqual(loaded.problems, []);
    const objects = loaded.objects.map((o) => o.object).filter((o) => o.kind !== 'Namespace');
    await applyObjects(cp, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kordon-node' } }]);
    try {
      const results = await applyObjects(cp, objects, { dryRun: true });
      assert.deepEqual(results.map((r) => r.status), objects.map(() => 201));
      assert.deepEqual(objects.map((o) => o.kind).sort(), ['DaemonSet', 'Job', 'NetworkPolicy', 'ServiceAccount']);
    } finally {
      await apiRequest(cp, 'admin', 'DELETE', '/api/v1/namespaces/kordon-node').catch(() => undefined);
    }
  });

  test('kordon probe: the real API server endpoint and the real etcd, from loopback', async () => {
    const etcdUrl = argvOf['etcd']!.find((w) => w.startsWith('--listen-client-urls='))!.split('=')[1]!.split(',')[0]!;
    const etcdPort = Number(new URL(etcdUrl).port);
    const apiPort = Number(new URL(cp.server).port);
    const r = await runCli(['probe', '--kubeconfig', cp.adminKubeconfig, '--hosts', '127.0.0.1', '--ports', `${etcdPort},${apiPort}`, '-f', 'json', '--timeout', '5000']);
    const j = JSON.parse(r.out) as { endpoint: { verdict: string; addresses: Array<{ address: string; public: boolean }>; version: string; api: string }; targets: Array<{ port: number; service: string; verdict: string; detail: string }> };
    // the harness leaves anonymous auth on: /version is public (system:public-info-viewer), /api is not
    assert.deepEqual(j.endpoint.addresses, [{ address: '127.0.0.1', public: false }]);
    assert.equal(j.endpoint.version, '200');
    assert.equal(j.endpoint.api, '403');
    assert.equal(j.endpoint.verdict, 'anonymous-version-only');
    const etcd = j.targets.find((t) => t.port === etcdPort)!;
    assert.deepEqual([etcd.service, etcd.verdict], ['etcd', 'exposed']);
    assert.match(etcd.detail, /^etcd 3\.\d+\.\d+ over plain HTTP/);
    const api = j.targets.find((t) => t.port === apiPort)!;
    assert.deepEqual([api.service, api.verdict], ['kube-apiserver', 'protected']);
    assert.match(api.detail, new RegExp(cp.kubernetesVersion.replace(/\./g, '\\.')));
    assert.equal(r.code, 1); // etcd is exposed
  });

  test('kubelet configz: a node without a kubelet, and a user who may not proxy, each give one warning', async () => {
    const nodeName = `kordon-nokubelet-${RUN}`;
    await applyObjects(cp, [{ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName } }]);
    try {
      for (const [user, want] of [['admin', /could not be read: (?!403)/], ['bob', /403 Forbidden \(get nodes\/proxy is not permitted\)/]] as const) {
        const client = await ApiClient.create({ kubeconfig: cp.kubeconfigFor(user), timeoutMs: 20_000 });
        try {
          const seen: K8sObject[] = [];
          const r = await readKubeletConfigs(client, 'cluster:test', [nodeName], 2, (o) => void seen.push(o));
          assert.equal(r.read, 0);
          assert.equal(seen.length, 0);
          assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
          assert.equal(r.problems[0]!.severity, 'warning');
          assert.match(r.problems[0]!.message, want);
          assert.match(r.problems[0]!.message, new RegExp(nodeName));
          // bounded: only the first nodes by name are asked, and the rest are said
          const capped = await readKubeletConfigs(client, 'cluster:test', [`zz-${nodeName}`, nodeName], 2, () => undefined, 1);
          assert.equal(capped.problems.length, 2, JSON.stringify(capped.problems));
          assert.match(capped.problems.map((p) => p.message).join('\n'), /read for the first 1 of 2 nodes by name/);
          assert.ok(!capped.problems.some((p) => p.message.includes(`zz-${nodeName}`)), 'the node beyond the bound is not asked');
        } finally {
          client.close();
        }
      }
    } finally {
      await apiRequest(cp, 'admin', 'DELETE', `/api/v1/nodes/${nodeName}`).catch(() => undefined);
    }
  });
});
