/**
 * deploy/webhook: the Helm chart rendered with the real helm passes kordon's own controls, every
 * object it renders is accepted by the real API server (server-side dry run), the plain manifests
 * are the chart's render, and the chart keeps its promises (2 replicas, a PodDisruptionBudget,
 * its own namespace excluded, read-only RBAC).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { scanPaths } from '../../src/scan.js';
import { acquireControlPlane, apiRequest, binaryPath, type ControlPlaneInfo } from '../support/controlplane.js';
import { ROOT } from './admission-oracle.js';
import { makeCa } from './webhook-certs.js';

const CHART = path.join(ROOT, 'deploy/webhook/chart');
const RUN = randomBytes(4).toString('hex');
const NS = `kordon-chart-${RUN}`;
const DIGEST = 'sha256:' + '0'.repeat(64);

const PATHS: Record<string, { base: string; plural: string; namespaced: boolean }> = {
  ServiceAccount: { base: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  LimitRange: { base: '/api/v1', plural: 'limitranges', namespaced: true },
  ResourceQuota: { base: '/api/v1', plural: 'resourcequotas', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  PodDisruptionBudget: { base: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { base: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  ClusterRole: { base: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { base: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  ValidatingWebhookConfiguration: { base: '/apis/admissionregistration.k8s.io/v1', plural: 'validatingwebhookconfigurations', namespaced: false },
  MutatingWebhookConfiguration: { base: '/apis/admissionregistration.k8s.io/v1', plural: 'mutatingwebhookconfigurations', namespaced: false },
};

let helm: string;
let dir: string;
let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};

function render(args: string[]): string {
  return execFileSync(helm, ['template', 'kordon-webhook', CHART, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function objects(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

describe('the webhook chart', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    helm = binaryPath('helm');
    dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-chart-'));
    ({ cp, release } = await acquireControlPlane());
  });
  after(async () => {
    await release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploy/webhook/manifests is the chart rendered by deploy/webhook/render.sh', () => {
    const fresh = render(['--namespace', 'kordon-system', '--set', `image.digest=${DIGEST}`, '--set', 'caBundle=REPLACE-WITH-THE-CA-PEM']);
    assert.equal(readFileSync(path.join(ROOT, 'deploy/webhook/manifests/kordon-webhook.yaml'), 'utf8'), fresh, 'run deploy/webhook/render.sh');
  });

  it('without an image digest or a CA bundle it refuses to render, saying which', () => {
    assert.throws(() => render(['--set', 'caBundle=x']), (e: any) => /set image\.digest/.test(String(e.stderr)));
    assert.throws(() => render(['--set', `image.digest=${DIGEST}`]), (e: any) => /set caBundle/.test(String(e.stderr)));
  });

  it('passes every kordon control, rendered as helm installs it', async () => {
    const ca = makeCa(path.join(dir, 'pki'));
    const file = path.join(dir, 'rendered.yaml');
    writeFileSync(file, render(['--namespace', NS, '--set', `image.digest=${DIGEST}`, '--set-file', `caBundle=${ca.caFile}`, '--set', 'webhook.mutate={KOR-0113}']));
    const result = await scanPaths([file]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.findings.map((f) => `${f.controlId} ${f.object?.kind}/${f.object?.name}: ${f.message}`), []);
    const objs = objects(readFileSync(file, 'utf8'));
    const dep = objs.find((o) => o.kind === 'Deployment');
    assert.equal(dep.spec.replicas, 2);
    assert.ok(dep.spec.template.spec.containers[0].args.includes(`--exclude-namespace=${NS}`));
    assert.ok(dep.spec.template.spec.containers[0].args.includes('--mutate=KOR-0113'));
    assert.equal(objs.find((o) => o.kind === 'PodDisruptionBudget').spec.minAvailable, 1);
    const verbs = objs.filter((o) => o.kind === 'ClusterRole').flatMap((r) => r.rules.flatMap((x: { verbs: string[] }) => x.verbs));
    assert.deepEqual([...new Set(verbs)].sort(), ['get', 'list', 'watch']);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const w = objs.find((o) => o.kind === kind).webhooks[0];
      assert.deepEqual(w.namespaceSelector.matchExpressions[0].values, [NS, 'kube-system'].sort());
      assert.equal(Buffer.from(w.clientConfig.caBundle, 'base64').toString('utf8'), readFileSync(ca.caFile, 'utf8'));
    }

    // the real API server accepts every object (server-side dry run; the namespace is created for it)
    assert.equal((await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
    for (const o of objs) {
      const p = PATHS[o.kind];
      assert.ok(p, `no path for ${o.kind}`);
      const url = `${p.base}${p.namespaced ? `/namespaces/${NS}` : ''}/${p.plural}?dryRun=All`;
      const r = await apiRequest(cp, 'admin', 'POST', url, o);
      assert.ok(r.status === 201 || r.status === 200, `${o.kind} ${o.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
    }
  });
});
