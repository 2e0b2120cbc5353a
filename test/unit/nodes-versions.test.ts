/** Versions, the dated data files (and their refresh from a folder), and the node summaries. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cmp, inRange, kernelAffected, parseKernel, imageVersion } from '../../src/nodes/versions.js';
import { DataError, dataAgeDays, loadNodeData, shippedDataDir } from '../../src/nodes/data.js';
import { kernelEscapes, kubernetesEndOfLife, kubernetesVulnerabilities, osEndOfLife, runtimeEscapes } from '../../src/nodes/node-versions.js';
import { runCli } from '../support/cli.js';
import type { NodeReport } from '../../src/nodes/report.js';

describe('versions', () => {
  test('order: patches, pre-releases before their release, distribution suffixes ignored', () => {
    assert.ok(cmp('1.30.10', '1.30.9') > 0);
    assert.ok(cmp('v1.31.5-eks-5da6378', '1.31.6') < 0);
    assert.ok(cmp('1.0.0-rc93', '1.0.0-rc100') < 0);
    assert.ok(cmp('1.4.0-rc.3', '1.4.0') < 0);
    assert.ok(cmp('1.4.0-rc.2', '1.4.0-rc.3') < 0);
    assert.equal(cmp('1.30.8', 'v1.30.8'), 0);
  });
  test('OSV ranges: introduced inclusive, fixed exclusive, 0 is the start', () => {
    const r = [{ introduced: '1.30.0' }, { fixed: '1.30.10' }];
    assert.equal(inRange('1.30.0', r), true);
    assert.equal(inRange('1.30.9', r), true);
    assert.equal(inRange('1.30.10', r), false);
    assert.equal(inRange('1.29.99', r), false);
    assert.equal(inRange('0.1.0', [{ introduced: '0' }, { fixed: '1.0.0' }]), true);
  });
  test('kernels: stable lines with a fix, newer lines fixed from mainline, ended lines affected; distribution kernels flagged', () => {
    const dirtyPipe = { introduced: '5.8', fixed: ['5.10.102', '5.15.25', '5.16.11'] };
    assert.equal(kernelAffected('5.10.101', dirtyPipe.introduced, dirtyPipe.fixed), true);
    assert.equal(kernelAffected('5.10.102', dirtyPipe.introduced, dirtyPipe.fixed), false);
    assert.equal(kernelAffected('5.13.19', dirtyPipe.introduced, dirtyPipe.fixed), true); // an ended line
    assert.equal(kernelAffected('6.1.0', dirtyPipe.introduced, dirtyPipe.fixed), false);
    assert.equal(kernelAffected('5.4.200', dirtyPipe.introduced, dirtyPipe.fixed), false); // before 5.8
    assert.deepEqual(parseKernel('5.15.0-91-generic'), { upstream: '5.15.0', distribution: true });
    assert.deepEqual(parseKernel('6.6.60-flatcar'), { upstream: '6.6.60', distribution: false });
  });
  test('image tags', () => {
    assert.equal(imageVersion('registry.k8s.io/kube-apiserver:v1.33.4'), 'v1.33.4');
    assert.equal(imageVersion('registry.k8s.io/kube-apiserver:v1.33.4@sha256:abc'), 'v1.33.4');
    assert.equal(imageVersion('localhost:5000/kube-apiserver'), undefined);
  });
});

describe('the shipped data', () => {
  const data = loadNodeData();
  test('is dated, names its sources, and every Kubernetes entry is OSV with SEMVER ranges', () => {
    assert.match(data.updated, /^\d{4}-\d{2}-\d{2}$/);
    for (const f of data.files) assert.ok(f.startsWith(shippedDataDir()));
    assert.ok(data.kubernetes.source.length > 40 && data.escapes.source.length > 40 && data.endOfLife.source.length > 40);
    for (const v of data.kubernetes.vulnerabilities) {
      assert.match(v.id, /^CVE-\d{4}-\d+$/);
      for (const a of v.affected) for (const r of a.ranges) assert.equal(r.type, 'SEMVER');
    }
  });
  test('answers as the Kubernetes release notes say', () => {
    assert.deepEqual(kubernetesVulnerabilities(data, 'kube-apiserver', 'v1.33.3').map((h) => h.id), ['CVE-2025-5187']);
    assert.deepEqual(kubernetesVulnerabilities(data, 'kube-apiserver', 'v1.33.1').map((h) => [h.id, h.fixed]), [['CVE-2025-5187', '1.33.4'], ['CVE-2025-4563', '1.33.2']]);
    assert.deepEqual(kubernetesVulnerabilities(data, 'kubelet', '1.32.0', 'linux').map((h) => h.id), ['CVE-2025-0426']);
    assert.deepEqual(kubernetesVulnerabilities(data, 'kubelet', '1.32.0', 'windows').map((h) => h.id).sort(), ['CVE-2024-9042', 'CVE-2025-0426']);
    assert.equal(kubernetesEndOfLife(data, 'v1.33.9')?.eol, '2026-06-28');
    assert.equal(kubernetesEndOfLife(data, 'v1.36.1'), undefined);
    assert.deepEqual(runtimeEscapes(data, 'containerd://1.6.27').map((h) => h.id), ['CVE-2024-21626']);
    assert.deepEqual(runtimeEscapes(data, 'containerd://1.7.13'), []);
    assert.equal(kernelEscapes(data, '5.15.0-91-generic'), undefined);
    assert.equal(osEndOfLife(data, 'Ubuntu 20.04.6 LTS')?.name, 'Ubuntu 20.04 LTS');
    assert.equal(dataAgeDays(data, new Date(Date.parse(`${data.updated}T12:00:00Z`) + 3 * 86_400_000)), 3);
  });
});

describe('refreshing the data from a folder', () => {
  test('a newer file replaces the shipped one; the others stay', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-data-'));
    try {
      const shipped = JSON.parse(readFileSync(path.join(shippedDataDir(), 'kubernetes-cves.osv.json'), 'utf8'));
      shipped.updated = '2027-01-15';
      shipped.vulnerabilities.push({ id: 'CVE-2027-0001', summary: 'a future kubelet issue', affected: [{ package: { ecosystem: 'Kubernetes', name: 'kubelet' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.36.0' }, { fixed: '1.36.9' }] }] }] });
      writeFileSync(path.join(dir, 'kubernetes-cves.osv.json'), JSON.stringify(shipped));
      const d = loadNodeData(dir);
      assert.equal(d.kubernetes.updated, '2027-01-15');
      assert.equal(d.updated, '2026-12-07'); // the oldest of the three
      assert.equal(d.files[0], path.join(dir, 'kubernetes-cves.osv.json'));
      assert.deepEqual(kubernetesVulnerabilities(d, 'kubelet', '1.36.3').map((h) => h.id), ['CVE-2027-0001']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a malformed file is a clear error naming it; a folder without data files too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-data-bad-'));
    try {
      writeFileSync(path.join(dir, 'end-of-life.json'), '{"updated": "2027-01-01", "kubernetes": {}}');
      assert.throws(() => loadNodeData(dir), (e: unknown) => e instanceof DataError && /end-of-life\.json: "kubernetes" must be a list/.test(e.message));
      const r = await runCli(['node', '--data-dir', dir, 'test/fixtures/controls/KOR-0525/fail/centos-7.yaml']);
      assert.equal(r.code, 2);
      assert.match(r.err, /end-of-life\.json/);
      mkdirSync(path.join(dir, 'empty'));
      assert.throws(() => loadNodeData(path.join(dir, 'empty')), /holds none of/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('node summaries in kordon node', () => {
  test('from the API: versions, placement and version issues of each node, and the data age', async () => {
    const r = await runCli(['node', '-f', 'json', 'test/fixtures/controls/KOR-0520/fail/windows-node.yaml', 'test/fixtures/controls/KOR-0525/fail/ubuntu-20-04.yaml']);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as NodeReport;
    assert.ok(rep.data && rep.data.updated === '2026-12-07' && rep.data.ageDays >= 0);
    const win = rep.nodes!.find((n) => n.name === 'akswin000001')!;
    assert.equal(win.placement.zone, 'eu-west-1a');
    assert.ok(win.versionIssues.some((v) => v.includes('CVE-2024-9042')));
    const ubuntu = rep.nodes!.find((n) => n.name === 'n1')!;
    assert.ok(ubuntu.versionIssues.some((v) => /end of standard support on 2025-05-31/.test(v)));
    assert.ok(ubuntu.versionIssues.some((v) => /distribution kernel/.test(v)));
    const pretty = await runCli(['node', 'test/fixtures/controls/KOR-0520/fail/windows-node.yaml']);
    assert.match(pretty.out, /^Nodes\n  akswin000001: kubelet v1\.30\.8, Windows Server 2022 Datacenter/);
    assert.match(pretty.out, /version data of 2026-12-07 \(\d+ days? old/);
  });
  test('on a node: the kernel from the proc tree and the OS from os-release', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kordon-node-os-'));
    try {
      mkdirSync(path.join(root, 'proc/sys/kernel'), { recursive: true });
      writeFileSync(path.join(root, 'proc/sys/kernel/osrelease'), '5.10.84-talos\n');
      mkdirSync(path.join(root, 'etc'));
      writeFileSync(path.join(root, 'etc/os-release'), 'NAME="CentOS Linux"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n');
      const rep = JSON.parse((await runCli(['node', '--root', root, '-f', 'json'])).out) as NodeReport;
      const n = rep.nodes![0]!;
      assert.equal(n.info.kernelVersion, '5.10.84-talos');
      assert.deepEqual(n.versionIssues.filter((v) => v.startsWith('kernel')).map((v) => /CVE-\d+-\d+/.exec(v)![0]).sort(), ['CVE-2022-0185', 'CVE-2022-0847', 'CVE-2024-1086']);
      assert.ok(n.versionIssues.some((v) => v.includes('CentOS Linux 7 (Core): end of standard support on 2024-06-30')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
