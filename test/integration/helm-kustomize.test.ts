import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryPath } from '../support/controlplane.js';
import { scanPaths } from '../../src/scan.js';
import { loadManifests } from '../../src/sources/manifests/load.js';

const CHART = 'test/fixtures/helm/webapp';
const OVERLAY = 'test/fixtures/kustomize/overlay';
let helm: string;
let kustomize: string;

before(() => {
  // real binaries, built from the Go module proxy and cached (test/support/k8s/build.sh)
  helm = binaryPath('helm');
  kustomize = binaryPath('kustomize');
});

test('a Helm chart is rendered with the real helm and findings point at its templates', async () => {
  const r = await scanPaths([CHART], { helm: { binary: helm } });
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  const latest = r.findings.filter((f) => f.controlId === 'KOR-0100');
  assert.equal(latest.length, 1);
  const f = latest[0]!;
  assert.equal(f.object?.name, 'kordon-web');
  assert.equal(f.via, 'helm');
  assert.equal(f.location?.source, 'test/fixtures/helm/webapp/templates/deployment.yaml');
  assert.ok((f.location?.line ?? 0) > 1);
  assert.match(f.message, /registry\.example\.com\/webapp:latest/);
});

test('--values and --set are passed to helm template', async () => {
  const pinned = await scanPaths([CHART], { helm: { binary: helm, values: ['test/fixtures/helm/pinned-values.yaml'] } });
  assert.equal(pinned.findings.filter((f) => f.controlId === 'KOR-0100').length, 0);
  const set = await scanPaths([CHART], { helm: { binary: helm, set: ['image.tag=9.9.9', 'service.type=LoadBalancer'] } });
  assert.equal(set.findings.filter((f) => f.controlId === 'KOR-0100').length, 0);
  const loaded = await loadManifests([CHART], { helm: { binary: helm, set: ['service.type=LoadBalancer'] } });
  const svc = loaded.objects.find((o) => o.object.kind === 'Service')!;
  assert.equal((svc.object['spec'] as { type: string }).type, 'LoadBalancer');
  assert.equal(svc.origin.source, 'test/fixtures/helm/webapp/templates/service.yaml');
});

test('a chart whose helm is missing is reported, and the rest is still scanned', async () => {
  const r = await scanPaths([CHART, 'examples/shop/10-web.yaml'], { helm: { binary: '/nonexistent/helm' } });
  const p = r.problems.find((x) => x.code === 'tool-missing');
  assert.ok(p, 'tool-missing problem');
  assert.equal(p!.source, CHART);
  assert.match(p!.message, /Helm chart but "\/nonexistent\/helm" is not on PATH; install Helm 3/);
  assert.ok(r.findings.some((f) => f.location?.source === 'examples/shop/10-web.yaml'));
});

test('a broken chart is reported with helm\'s error', async () => {
  const bad = await scanPaths([CHART], { helm: { binary: helm, values: ['test/fixtures/helm/does-not-exist.yaml'] } });
  assert.equal(bad.summary.objects, 0);
  const p = bad.problems.find((x) => x.code === 'tool-failed');
  assert.ok(p);
  assert.match(p!.message, /helm template failed: .*does-not-exist\.yaml/);
});

test('a Kustomize overlay is built with the real kustomize', async () => {
  const r = await scanPaths([OVERLAY], { kustomize: { binary: kustomize } });
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  const f = r.findings.find((x) => x.controlId === 'KOR-0100');
  assert.ok(f);
  assert.equal(f!.object?.namespace, 'prod');
  assert.equal(f!.via, 'kustomize');
  assert.match(f!.message, /registry\.example\.com\/api:latest/);
});

test('a Kustomize directory without kustomize is reported, and the rest is still scanned', async () => {
  const r = await scanPaths([OVERLAY, 'examples/shop/10-web.yaml'], { kustomize: { binary: '/nonexistent/kustomize' } });
  const p = r.problems.find((x) => x.code === 'tool-missing');
  assert.ok(p);
  assert.equal(p!.source, OVERLAY);
  assert.match(p!.message, /Kustomize directory but/);
  assert.ok(r.findings.some((f) => f.location?.source === 'examples/shop/10-web.yaml'));
});
