/**
 * The controls' regression corpus (test/corpus/controls/): inputs written with the shapes of
 * public repositories (kubernetes-goat, microservices-demo, argo-cd, kube-prometheus,
 * cert-manager, ingress-nginx, a prometheus-community chart rendered with the real helm,
 * kubernetes/examples). Each test asserts a class of verdict: what must be said, at which
 * severity, and what must not be said (placeholders, operator-made pods, cluster-scoped custom
 * resources, harmless read-only host files...).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { binaryPath } from '../support/controlplane.js';
import { allControls } from '../../src/controls/index.js';
import { scanPaths } from '../../src/scan.js';
import type { Finding, Severity } from '../../src/engine/types.js';

const CORPUS = 'test/corpus/controls';
const NOW = new Date('2026-01-01T00:00:00Z');
let helm: string;

before(() => {
  helm = binaryPath('helm');
});

async function scan(name: string): Promise<Finding[]> {
  const r = await scanPaths([`${CORPUS}/${name}`], { helm: { binary: helm }, now: NOW });
  assert.deepEqual(r.problems, [], `${name} must read without problems`);
  return r.findings.filter((f) => !f.suppressed);
}

const of = (findings: Finding[], controlId: string, objectName?: string): Finding[] =>
  findings.filter((f) => f.controlId === controlId && (objectName === undefined || f.object?.name === objectName));

function severities(findings: Finding[]): Severity[] {
  return findings.map((f) => f.severity).sort();
}

test('every corpus folder is covered by this test', () => {
  const folders = readdirSync(CORPUS).sort();
  assert.deepEqual(folders, ['argo-cd', 'cert-manager', 'ingress-nginx', 'kube-prometheus', 'kubernetes-examples', 'kubernetes-goat', 'microservices-demo', 'prometheus-node-exporter-chart']);
});

describe('corpus verdicts', () => {
  test('every finding of every corpus is within its control\'s severity and names no placeholder as a credential', async () => {
    const rank = ['info', 'low', 'medium', 'high', 'critical'];
    for (const name of readdirSync(CORPUS).sort()) {
      for (const f of await scan(name)) {
        const control = allControls.find((c) => c.id === f.controlId)!;
        // a winner of de-duplication carries the highest severity of the findings it stands for (docs/deduplication.md)
        const ceiling = Math.max(rank.indexOf(control.severity), ...(f.related ?? []).map((r) => rank.indexOf(allControls.find((c) => c.id === r.controlId)!.severity)));
        assert.ok(rank.indexOf(f.severity) <= ceiling, `${name}: ${f.controlId} at ${f.severity}: ${f.message}`);
        assert.doesNotMatch(f.message, /INSERT_|REPLACE_ME|changeme|<password>|YOUR_PASSWORD/, `${name}: ${f.message}`);
      }
    }
  });

  test('kube-prometheus: operator-made pods are selected, config Secrets are not secrets, node-exporter is graded by what it can do', async () => {
    const f = await scan('kube-prometheus');
    assert.deepEqual(of(f, 'KOR-0303'), [], 'policies selecting the Prometheus and Alertmanager pods select operator-made pods');
    assert.deepEqual(of(f, 'KOR-0133'), [], 'datasource and alerting configs with placeholders are not committed secrets');
    assert.deepEqual(of(f, 'KOR-0114'), [], 'every object names its namespace; cluster-scoped kinds are in none');
    assert.deepEqual(severities(of(f, 'KOR-0126', 'node-exporter')), ['low'], 'SYS_TIME sets the clock: low');
    // the host root read-only by "nobody": one step below root's critical
    const root = of(f, 'KOR-0123', 'node-exporter').filter((x) => x.message.includes('"/"'));
    assert.deepEqual(severities(root), ['high']);
    assert.match(root[0]!.message, /read-only for a non-root user/);
    assert.deepEqual(of(f, 'KOR-0121'), [], 'every host mount is read-only');
  });

  test('kubernetes-goat: the real escapes stay critical, placeholders are not credentials, read-only logs are medium', async () => {
    const f = await scan('kubernetes-goat');
    assert.deepEqual(severities(of(f, 'KOR-0122', 'health-check-deployment')), ['critical'], 'docker.sock');
    const root = of(f, 'KOR-0123', 'system-monitor-deployment');
    assert.deepEqual(severities(root), ['critical'], 'host root writable');
    assert.match(root[0]!.message, /writable/);
    assert.deepEqual(severities(of(f, 'KOR-0123', 'node-debugger')), ['critical'], '/var/lib/kubelet writable (the read-only /etc/passwd file is not reported)');
    assert.deepEqual(severities(of(f, 'KOR-0124', 'node-debugger')), ['medium'], '/var/log read-only');
    assert.deepEqual(of(f, 'KOR-0128'), [], 'INSERT_SLACK_TOKEN, <password>, changeme');
    assert.deepEqual(of(f, 'KOR-0151'), [], 'the kubelet directory holds no cloud credentials');
    assert.ok(!of(f, 'KOR-0121').some((x) => x.message.includes('docker.sock')), 'a socket is not a writable host path');
    assert.deepEqual(severities(of(f, 'KOR-0126', 'node-debugger')), ['low', 'low', 'low'], 'SYS_PTRACE without hostPID, NET_ADMIN without hostNetwork, SYS_TIME');
    assert.ok([...of(f, 'KOR-0141', 'superadmin'), ...of(f, 'KOR-0200', 'superadmin')].length > 0, 'cluster-admin bound to a service account');
    assert.equal(of(f, 'KOR-0133').length, 3, 'the three goat vault Secrets carry real values');
  });

  test('cert-manager: cluster-scoped issuers are in no namespace, placeholders and filler keys are not credentials', async () => {
    const f = await scan('cert-manager');
    assert.deepEqual(of(f, 'KOR-0114'), []);
    assert.deepEqual(of(f, 'KOR-0133'), [], 'REPLACE_ME');
    assert.deepEqual(of(f, 'KOR-0132'), []);
    assert.ok(of(f, 'KOR-0201').length > 0, 'cert-manager reads every Secret: true and worth knowing');
  });

  test('ingress-nginx: snippets the controller rejects are low, TLS gaps and external exposure are reported', async () => {
    const f = await scan('ingress-nginx');
    assert.deepEqual(severities(of(f, 'KOR-0149', 'shop')), ['low']);
    assert.match(of(f, 'KOR-0149', 'shop')[0]!.message, /rejects/);
    assert.deepEqual(of(f, 'KOR-0136', 'shop').map((x) => x.message), ['Ingress "shop" serves host "status.example.com" without TLS.']);
    assert.equal(of(f, 'KOR-0134', 'ingress-nginx-controller').length, 1);
    assert.deepEqual(of(f, 'KOR-0114'), [], 'the IngressClass and the webhook configuration are cluster-scoped');
  });

  test('argo-cd: $key references and repository metadata are not credentials; the controller\'s cluster-admin is critical', async () => {
    const f = await scan('argo-cd');
    assert.deepEqual(of(f, 'KOR-0129'), [], '$dex.github.clientSecret references argocd-secret');
    assert.deepEqual(of(f, 'KOR-0133'), [], 'type, url, username and a <github-pat> placeholder');
    assert.deepEqual(of(f, 'KOR-0128'), []);
    assert.deepEqual(severities(of(f, 'KOR-0200', 'argocd-application-controller')), ['critical']);
  });

  test('microservices-demo: only workloads that take traffic need a readiness probe; the LoadBalancer frontend is exposed', async () => {
    const f = await scan('microservices-demo');
    assert.deepEqual(of(f, 'KOR-0120', 'loadgenerator'), [], 'the load generator declares no port and no Service selects it');
    assert.equal(of(f, 'KOR-0302', 'frontend').length, 1);
    assert.deepEqual(of(f, 'KOR-0128'), []);
    assert.deepEqual(of(f, 'KOR-0126'), []);
  });

  test('kubernetes/examples: a scratch hostPath PV is medium, YOUR_PASSWORD is a placeholder', async () => {
    const f = await scan('kubernetes-examples');
    assert.deepEqual(severities(of(f, 'KOR-0116', 'local-pv-1')), ['medium']);
    assert.deepEqual(of(f, 'KOR-0133'), []);
    assert.deepEqual(of(f, 'KOR-0126'), [], 'IPC_LOCK is a PSS matter, not a dangerous capability');
    assert.equal(of(f, 'KOR-0004', 'cassandra').length, 1, 'IPC_LOCK is outside the baseline set');
  });

  test('prometheus-node-exporter chart (real helm): the release namespace is not "the default namespace"; mounts graded for a non-root reader', async () => {
    const f = await scan('prometheus-node-exporter-chart');
    assert.ok(f.length > 0 && f.every((x) => x.via === 'helm'));
    assert.deepEqual(of(f, 'KOR-0114'), [], '.Release.Namespace renders as "default" without a release namespace');
    const mounts = of(f, 'KOR-0123').map((x) => `${x.severity} ${/host (?:root filesystem|path) "([^"]+)"/.exec(x.message)?.[1]}`).sort();
    assert.deepEqual(mounts, ['high /', 'low /proc'], '/sys read-only by nobody is not reported');
  });
});

test('the corpus scans are deterministic (byte-identical findings twice)', async () => {
  const a = JSON.stringify(await scan('kubernetes-goat'));
  const b = JSON.stringify(await scan('kubernetes-goat'));
  assert.equal(a, b);
});
