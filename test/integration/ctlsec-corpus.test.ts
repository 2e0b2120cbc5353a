/**
 * The security controls' regression corpus (test/corpus/ctlsec/): a Helm chart of platform tools
 * rendered with the real helm, a cluster export after an incident, namespace-less application
 * manifests. Each test asserts what must be said (control, object, severity) and what must not
 * (an allocator in LD_PRELOAD, a ServiceAccount present in a namespace-less manifest), that no
 * finding repeats a credential of the input, and that the JSON report is the same on every run.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { binaryPath } from '../support/controlplane.js';
import { scanPaths } from '../../src/scan.js';
import { formatReport } from '../../src/report/index.js';
import type { Finding } from '../../src/engine/types.js';

const CORPUS = 'test/corpus/ctlsec';
const NOW = new Date('2026-01-01T00:00:00Z');
let helm: string;

before(() => {
  helm = binaryPath('helm');
});

async function scan(path: string, extra: Record<string, unknown> = {}): Promise<Finding[]> {
  const r = await scanPaths([`${CORPUS}/${path}`], { helm: { binary: helm, releaseName: 'tools', namespace: 'platform' }, now: NOW, ...extra });
  assert.deepEqual(r.problems, [], `${path} must read without problems`);
  return r.findings.filter((f) => !f.suppressed);
}

const one = (findings: Finding[], controlId: string, objectName: string): Finding => {
  const hits = findings.filter((f) => f.controlId === controlId && f.object?.name === objectName);
  assert.equal(hits.length, 1, `${controlId} on ${objectName}: ${hits.length} findings (${findings.filter((f) => f.controlId === controlId).map((f) => f.object?.name).join(', ')})`);
  return hits[0]!;
};

describe('security controls corpus', () => {
  test('platform chart: the Dashboard with skip-login, public and cluster-admin, is said three ways, each once', async () => {
    const f = await scan('platform-chart', { defaultNamespace: 'platform' });
    const name = 'tools-platform-tools-dashboard';
    assert.equal(one(f, 'KOR-0155', name).severity, 'high');
    const token = one(f, 'KOR-0159', name);
    assert.equal(token.severity, 'critical');
    assert.match(token.message, /platform\/tools-platform-tools-dashboard/);
    assert.deepEqual(token.related?.map((r) => r.controlId), ['KOR-0108'], 'the powerful token stands for "token mounted"');
    assert.equal(f.filter((x) => x.controlId === 'KOR-0108' && x.object?.name === name).length, 0);
    assert.equal(one(f, 'KOR-0160', name).severity, 'high');
    assert.match(one(f, 'KOR-0160', name).message, /from the internet via Service platform\/tools-platform-tools-dashboard/);
    assert.equal(one(f, 'KOR-0234', 'tools-platform-tools-metrics-view').severity, 'high');
    assert.match(one(f, 'KOR-0244', 'v1beta1.custom.metrics.k8s.io').message, /Service platform\/tools-platform-tools-metrics/);
    assert.equal(one(f, 'KOR-0235', 'tools-platform-tools-policy').pointer, '/webhooks/0/failurePolicy');
  });

  test('platform chart with safe values: none of those verdicts', async () => {
    const r = await scanPaths([`${CORPUS}/platform-chart`], {
      helm: { binary: helm, releaseName: 'tools', namespace: 'platform', set: ['dashboard.skipLogin=false', 'dashboard.serviceType=ClusterIP', 'dashboard.clusterAdmin=false', 'metricsAdapter.insecure=false', 'policy.failOpen=false'] },
      now: NOW,
      defaultNamespace: 'platform',
    });
    assert.deepEqual(r.problems, []);
    const ids = new Set(r.findings.map((x) => x.controlId));
    for (const id of ['KOR-0155', 'KOR-0159', 'KOR-0160', 'KOR-0244', 'KOR-0235']) assert.ok(!ids.has(id), `${id} reported with safe values`);
    assert.ok(ids.has('KOR-0234'), 'the aggregated rule is in the chart whatever the values');
  });

  test('cluster export: the incident is visible, graded, at its lines', async () => {
    const f = await scan('cluster-export');
    const at = (x: Finding): string => `${x.controlId}:${x.location?.line}:${x.severity}`;
    const mine = f.filter((x) => ['KOR-0022', 'KOR-0162', 'KOR-0236', 'KOR-0251', 'KOR-0311'].includes(x.controlId)).map(at).sort();
    assert.deepEqual(mine, ['KOR-0022:12:high', 'KOR-0162:44:low', 'KOR-0236:66:high', 'KOR-0251:30:medium', 'KOR-0311:60:critical']);
    assert.doesNotMatch(one(f, 'KOR-0022', 'aws-auth').message, /444455556666|platform-admins/, 'the mapping is named by entry, not by ARN');
  });

  test('app repository (namespace-less, applied into shop): debugger, keys, TLS off, plain HTTP, allow-all; the allocator is not a finding', async () => {
    const f = await scan('app-repo', { defaultNamespace: 'shop' });
    assert.equal(one(f, 'KOR-0310', 'orders').severity, 'high');
    assert.match(one(f, 'KOR-0023', 'orders').message, /AWS access key from Secret "orders-aws"/);
    assert.equal(f.filter((x) => x.controlId === 'KOR-0315').length, 0, 'jemalloc preloaded is not an injection');
    assert.equal(one(f, 'KOR-0308', 'catalog-sync').severity, 'medium');
    assert.equal(one(f, 'KOR-0313', 'catalog-sync').severity, 'low', 'files.corp is on the internal network');
    assert.equal(one(f, 'KOR-0253', 'temp-allow-all').pointer, '/spec/ingress/0');
  });

  test('no finding repeats a credential of the corpus, and the JSON report is byte-identical on every run', async () => {
    const secrets = ['AKIAZXCVBNMASDFGHJKL', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYq9'];
    assert.ok(secrets.every((s) => readFileSync(`${CORPUS}/app-repo/orders.yaml`, 'utf8').includes(s)));
    const render = async (): Promise<string> => {
      const r = await scanPaths([`${CORPUS}/app-repo`, `${CORPUS}/cluster-export`], { now: NOW, defaultNamespace: 'shop' });
      return formatReport(r, 'json', { color: false });
    };
    const a = await render();
    for (const s of secrets) assert.ok(!a.includes(s), 'a credential of the input is in the report');
    assert.equal(await render(), a);
  });
});
