import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInventory } from '../../src/scan.js';
import { Inventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { readVulnInputs, readVulnText } from '../../src/sources/vulns/read.js';
import { readRuntimeInputs } from '../../src/sources/runtime/read.js';
import { analyseVulns } from '../../src/vulns/analyse.js';
import { normalisedRef, parseImageRef } from '../../src/vulns/image-ref.js';
import type { ImageReport } from '../../src/sources/vulns/model.js';

const SHOP = 'test/corpus/vulns/shop';

test('image references are normalised as the runtime reads them', () => {
  const n = (s: string): string | undefined => {
    const r = parseImageRef(s);
    return r && normalisedRef(r);
  };
  assert.equal(n('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(n('nginx:1.25'), 'docker.io/library/nginx:1.25');
  assert.equal(n('index.docker.io/library/nginx:1.25'), 'docker.io/library/nginx:1.25');
  assert.equal(n('registry-1.docker.io/bitnami/redis:7'), 'docker.io/bitnami/redis:7');
  assert.equal(n('bitnami/redis'), 'docker.io/bitnami/redis:latest');
  assert.equal(n('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(n('Registry.Example.com:443/team/app:v1'), 'registry.example.com:443/team/app:v1');
  assert.equal(n(`nginx@sha256:${'a'.repeat(64)}`), `docker.io/library/nginx@sha256:${'a'.repeat(64)}`, 'a digest alone: no latest tag');
  assert.equal(n(`docker-pullable://nginx:1.25@sha256:${'b'.repeat(64)}`), `docker.io/library/nginx:1.25@sha256:${'b'.repeat(64)}`);
  assert.equal(n(`sha256:${'c'.repeat(64)}`), undefined);
  assert.equal(n(''), undefined);
});

async function shop(evidence = true) {
  const { inventory } = await loadInventory([`${SHOP}/manifests`]);
  const v = await readVulnInputs([`${SHOP}/reports`]);
  const r = evidence ? await readRuntimeInputs([`${SHOP}/runtime`]) : { evidence: [], problems: [] };
  return analyseVulns({ inventory, reports: v.reports, evidence: r.evidence });
}

test('images are matched to workloads by digest, then imageID, then tag, and the method is shown', async () => {
  const a = await shop(false);
  const byImage = Object.fromEntries(a.images.map((i) => [i.image, i.matches.map((m) => `${m.workload} ${m.container} ${m.method}`)]));
  assert.deepEqual(byImage, {
    'docker.io/library/nginx:1.25.3': [
      // one image, used by many workloads: a sidecar, the storefront, and a pod that says `nginx`
      // (latest) but whose runtime imageID is the scanned build's platform digest
      'Deployment/shop-api/api proxy tag',
      'Deployment/shop-web/storefront web tag',
      'Pod/shop-api/debug shell imageID',
    ],
    'ghcr.io/acme/api:2.1.0': ['Deployment/shop-api/api api digest'],
    'redis:7.2.4': ['Deployment/shop-web/legacy-cache  report'],
    'registry.example.com/acme/worker:3.2': ['CronJob/shop-api/worker worker tag'],
  });
  const nginx = a.images.find((i) => i.image === 'docker.io/library/nginx:1.25.3')!;
  assert.deepEqual(nginx.workloads, ['Deployment/shop-api/api', 'Deployment/shop-web/storefront', 'Pod/shop-api/debug']);
  // Trivy and Grype of one image are one entry: shared digests
  assert.deepEqual(nginx.reports.map((r) => r.format), ['grype', 'trivy']);
});

test('repeats across reports are merged: one entry per image, package and vulnerability, every source kept', async () => {
  const a = await shop(false);
  const ssl = a.vulnerabilities.filter((v) => v.id === 'CVE-2024-0727');
  assert.equal(ssl.length, 1);
  assert.deepEqual(ssl[0]!.sources.map((s) => s.source.split('/').pop()), ['grype-nginx.json', 'trivy-nginx.json']);
  // severities as each report states them, never re-mapped
  assert.equal(ssl[0]!.severity, 'Medium');
  assert.deepEqual(ssl[0]!.otherSeverities, [{ source: `${SHOP}/reports/trivy-nginx.json`, severity: 'MEDIUM' }]);
  const curl = a.vulnerabilities.find((v) => v.id === 'CVE-2024-2398')!;
  assert.equal(curl.kev, true, "Grype's knownExploited");
  assert.equal(a.summary.vulnerabilities, 12);
  assert.equal(new Set(a.vulnerabilities.map((v) => `${v.imageKey} ${v.id} ${v.package} ${v.version}`)).size, 12);
});

function deployment(name: string, image: string): K8sObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' }, spec: { template: { spec: { containers: [{ name: 'c', image }] } } } };
}

function report(ref: string, digests: string[], config?: string): ImageReport {
  return { source: `${ref}.json`, format: 'trivy', pointer: '', image: { reference: ref, digests, ...(config ? { configDigest: config } : {}), tags: [] }, vulnerabilities: [{ id: 'CVE-1', pkg: 'p@1', pkgName: 'p', pkgVersion: '1', severity: 'HIGH', ratings: [], paths: [], pointer: '/x' }], packages: [], sbomOnly: false, resources: [] };
}

const D = (c: string): string => `sha256:${c.repeat(64)}`;

test('multi-arch: the index digest in a spec and a platform digest in a pod status both match the report that knows both', () => {
  const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'app:1' }] }, status: { containerStatuses: [{ name: 'c', imageID: `docker-pullable://app@${D('2')}` }] } };
  const inv = new Inventory([
    { object: deployment('pinned', `app@${D('1')}`), origin: { source: 'm.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 } },
    { object: pod, origin: { source: 'm.yaml', documentIndex: 1, itemPointer: '', line: 20, column: 1 } },
    { object: deployment('other-build', `app:1@${D('9')}`), origin: { source: 'm.yaml', documentIndex: 2, itemPointer: '', line: 40, column: 1 } },
    { object: deployment('by-tag', 'docker.io/library/app:1'), origin: { source: 'm.yaml', documentIndex: 3, itemPointer: '', line: 60, column: 1 } },
  ]);
  const a = analyseVulns({ inventory: inv, reports: [report('app:1', [D('1'), D('2')], D('3'))] });
  assert.deepEqual(a.images[0]!.matches.map((m) => `${m.workload} ${m.method}`), ['Deployment/ns/by-tag tag', 'Deployment/ns/pinned digest', 'Pod/ns/p imageID']);
  // a workload pinned to another digest of the same tag runs another build: not matched
  assert.ok(!a.images[0]!.workloads.includes('Deployment/ns/other-build'));
});

test('duplicate reports for one image (same config digest, different files) are one image', () => {
  const a = analyseVulns({ reports: [report('app:1', [D('1')], D('3')), { ...report('registry-1.docker.io/library/app:1', [D('2')], D('3')), source: 'b.json' }] });
  assert.equal(a.images.length, 1);
  assert.equal(a.vulnerabilities.length, 1);
  assert.equal(a.vulnerabilities[0]!.sources.length, 2);
});

test('without manifests every image of the reports is listed; results do not depend on input order', async () => {
  const v = await readVulnInputs([`${SHOP}/reports`]);
  const a = analyseVulns({ reports: v.reports });
  assert.deepEqual(a.images.map((i) => [i.image, i.workloads]), [
    ['docker.io/library/nginx:1.25.3', []],
    ['ghcr.io/acme/api:2.1.0', []],
    ['redis:7.2.4', ['Deployment/shop-web/legacy-cache']],
    ['registry.example.com/acme/worker:3.2', []],
  ]);
  const b = analyseVulns({ reports: [...v.reports].reverse() });
  assert.equal(JSON.stringify(b), JSON.stringify(a));
});

test('a report for an image no workload runs still lists its vulnerabilities as unknown', () => {
  const problems: never[] = [];
  const r = readVulnText('x.json', JSON.stringify({ SchemaVersion: 2, ArtifactName: 'lonely:1', Results: [{ Target: 'lonely:1', Vulnerabilities: [{ VulnerabilityID: 'CVE-9', PkgName: 'q', InstalledVersion: '1', Severity: 'LOW' }] }] }), problems);
  const a = analyseVulns({ reports: r.reports, inventory: new Inventory([]) });
  assert.equal(a.vulnerabilities[0]!.inUse, 'unknown');
  assert.equal(a.vulnerabilities[0]!.evidence.reason, 'no workload read runs this image');
});
