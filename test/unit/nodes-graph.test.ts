/**
 * Node facts in the security graph, on a corpus shaped like a cluster read (test/corpus/nodes):
 * an anonymous kubelet is an entry from the node network, an anonymous API server advertising a
 * public address an entry from the internet, etcd without client certificates the control plane,
 * a kernel with a known escape an escape from any container on the node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.js';

const CORPUS = 'test/corpus/nodes/cluster';

interface Path {
  from: string;
  to: string;
  category: string;
  cost: number;
  steps: Array<{ edge: string; source: string; target: string; detail: string; evidence: Array<{ object: string; pointer: string }> }>;
}

describe('node entry points and escapes in the attack paths', () => {
  test('the four node facts each open a path, with the evidence of the finding', async () => {
    const r = await runCli(['paths', CORPUS, '-f', 'json', '--max', '50']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { paths: Path[]; entryPoints: { text: string } };
    assert.match(j.entryPoints.text, /1 anonymous API server identity, 1 pod behind an anonymous kubelet, 1 etcd without client certificates \(reaching 3 workloads\)/);
    const etcd = j.paths.find((p) => p.category === 'control-plane' && p.steps[0]!.target === 'Pod kube-system/etcd-cp-1')!;
    assert.ok(etcd, 'etcd without client TLS is the control plane');
    assert.deepEqual(etcd.steps.map((s) => s.edge), ['exposes', 'etcd-access']);
    assert.equal(etcd.from, 'node network (VPC / LAN)');
    const anon = j.paths.find((p) => p.from === 'the internet' && p.steps[0]!.target === 'Group system:unauthenticated')!;
    assert.ok(anon, 'the anonymous API server on a public address is an entry from the internet');
    assert.equal(anon.category, 'all-secrets');
    assert.equal(anon.steps[0]!.evidence[0]!.object, 'Pod/kube-system/kube-apiserver-cp-1');
    const kubelet = j.paths.find((p) => p.category === 'node' && p.steps[0]!.detail.startsWith('kubelet API of node edge-1'))!;
    assert.ok(kubelet, 'the anonymous kubelet is an entry from the node network');
    assert.deepEqual(kubelet.steps[0]!.evidence.map((e) => e.pointer), ['/authentication/anonymous/enabled', '/authorization/mode']);
    const escape = kubelet.steps.find((s) => s.edge === 'container-escape')!;
    assert.match(escape.detail, /kernel 5\.10\.84-talos has CVE-2022-0185/);
    assert.equal(escape.evidence[0]!.object, 'Node//edge-1');
  });

  test('without the node facts none of these entries exist', async () => {
    // the same workloads and RBAC alone: the only entries left are the host-network pods
    const r = await runCli(['paths', `${CORPUS}/workloads.yaml`, '-f', 'json']);
    const j = JSON.parse(r.out) as { paths: Path[]; entryPoints: { text: string } };
    assert.doesNotMatch(j.entryPoints.text, /anonymous|kubelet|etcd/);
  });

  test('the scan gives the node findings the priority of their paths', async () => {
    const r = await runCli(['scan', CORPUS, '--attack-paths', '-f', 'json', '--controls', 'KOR-05*']);
    const j = JSON.parse(r.out) as { findings: Array<{ controlId: string; priority?: { level?: string; reason?: string } | string; pointer: string }> };
    const etcd = j.findings.find((f) => f.controlId === 'KOR-0510')!;
    assert.ok(etcd);
    assert.ok(etcd.priority, `KOR-0510 has no priority: ${JSON.stringify(etcd)}`);
    const anon = j.findings.find((f) => f.controlId === 'KOR-0500')!;
    assert.ok(anon.priority, 'the anonymous API server finding lies on a path');
    const kubelet = j.findings.find((f) => f.controlId === 'KOR-0512')!;
    assert.ok(kubelet.priority, 'the anonymous kubelet finding lies on a path');
  });
});
