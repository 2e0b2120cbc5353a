import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVulnInputs, readVulnText, detectFormat } from '../../src/sources/vulns/read.js';
import type { InputProblem } from '../../src/inventory/types.js';

const SHOP = 'test/corpus/vulns/shop/reports';

test('every format is detected from its content and read with the severity exactly as stated', async () => {
  const input = await readVulnInputs([SHOP]);
  assert.deepEqual(input.problems, []);
  assert.deepEqual(
    input.files.map((f) => [f.source.split('/').pop(), f.format]),
    [
      ['cyclonedx-api.json', 'cyclonedx'],
      ['grype-nginx.json', 'grype'],
      ['spdx-worker.json', 'spdx'],
      ['syft-api.json', 'syft'],
      ['trivy-k8s.json', 'trivy-k8s'],
      ['trivy-nginx.json', 'trivy'],
      ['trivy-worker.json', 'trivy'],
    ],
  );
  const trivy = input.reports.find((r) => r.source.endsWith('trivy-nginx.json'))!;
  // Misconfigurations and Secrets are not vulnerabilities: skipped without a problem
  assert.deepEqual(trivy.vulnerabilities.map((v) => [v.id, v.pkgName, v.severity, v.severitySource]), [
    ['CVE-2024-0727', 'libssl3', 'MEDIUM', 'nvd'],
    ['CVE-2023-45853', 'zlib1g', 'CRITICAL', 'nvd'],
    ['CVE-2024-2398', 'libcurl4', 'HIGH', 'debian'],
    ['CVE-2023-47038', 'perl-base', 'HIGH', 'nvd'],
    ['CVE-2024-29041', 'express', 'MEDIUM', 'ghsa'],
  ]);
  assert.deepEqual(trivy.image.digests, ['sha256:81a5b580161cbb7faef40e99c824e7bb12d4e81eb2d7ea5bfbf48b8d06e134da']);
  assert.equal(trivy.image.configDigest, 'sha256:21f8228ac9d89eec18646f4b88159e27efb1276037b16740fbf1121d70f7dfd9');
  const ssl = trivy.vulnerabilities[0]!;
  assert.equal(ssl.fixedVersion, '3.0.13-1~deb12u1');
  assert.deepEqual(ssl.ratings, [
    { source: 'debian', severity: 'LOW' },
    { source: 'nvd', severity: 'MEDIUM', score: 5.5, vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H', method: 'CVSSv3' },
  ]);
  assert.deepEqual(trivy.vulnerabilities[4]!.paths, ['/usr/share/nginx/app/node_modules/express/package.json']);
  assert.deepEqual(trivy.packages.find((p) => p.name === 'libssl3')?.files, ['/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/share/doc/libssl3/copyright']);

  const grype = input.reports.find((r) => r.format === 'grype')!;
  // ignoredMatches are the user's choice: not read, no problem
  assert.deepEqual(grype.vulnerabilities.map((v) => [v.id, v.severity, v.fixedVersion ?? null, v.kev ?? false, v.epss ?? null]), [
    ['CVE-2024-0727', 'Medium', '3.0.13-1~deb12u1', false, null],
    ['CVE-2023-45853', 'Critical', null, false, 0.0143],
    ['CVE-2024-2398', 'High', '7.88.1-10+deb12u6', true, null],
  ]);
  assert.deepEqual(grype.image.digests, ['sha256:42de49d302127345f707bb48515f5318bc4f4f88e9dbec069926913f47d909f5', 'sha256:81a5b580161cbb7faef40e99c824e7bb12d4e81eb2d7ea5bfbf48b8d06e134da']);

  const cdx = input.reports.find((r) => r.format === 'cyclonedx')!;
  assert.equal(cdx.sbomOnly, false);
  assert.deepEqual(cdx.image.digests, ['sha256:5387c48922f6298c01fa656bbf24b77d5a9af240dd97296af8734c3c5fcc717d']);
  const req = cdx.vulnerabilities.find((v) => v.id === 'CVE-2024-35195')!;
  // each rating kept with its source; the first stated severity shown, with its source
  assert.equal(req.severity, 'medium');
  assert.equal(req.severitySource, 'NVD');
  assert.deepEqual(req.ratings.map((r) => r.source), ['NVD', 'GHSA']);
  assert.equal(req.fixedVersion, '2.32.0');
  assert.deepEqual(req.aliases, ['GHSA-9wx4-h78v-vm56']);
  assert.equal(cdx.vulnerabilities.find((v) => v.id === 'CVE-2024-26130')!.fixedVersion, '42.0.4');

  const syft = input.reports.find((r) => r.format === 'syft')!;
  assert.equal(syft.sbomOnly, true);
  // files owned through `contains` relationships only (evident-by is not ownership)
  assert.deepEqual(syft.packages.find((p) => p.name === 'requests')!.files, ['/app/.venv/lib/python3.12/site-packages/requests-2.31.0.dist-info/METADATA', '/app/.venv/lib/python3.12/site-packages/requests/__init__.py']);
  assert.deepEqual(syft.packages.find((p) => p.name === 'libexpat1')!.files, ['/usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10', '/usr/share/doc/libexpat1/copyright', '/var/lib/dpkg/status']);

  const spdx = input.reports.find((r) => r.format === 'spdx')!;
  assert.equal(spdx.image.reference, 'registry.example.com/acme/worker:3.2');
  assert.deepEqual(spdx.packages.map((p) => [p.name, p.files]), [
    ['busybox', ['/bin/busybox']],
    ['libcrypto3', ['/lib/libcrypto.so.3']],
  ]);

  const k8s = input.reports.filter((r) => r.format === 'trivy-k8s');
  assert.equal(k8s.length, 1, 'the misconfiguration-only resource names no image');
  assert.deepEqual(k8s[0]!.resources, [{ kind: 'Deployment', name: 'legacy-cache', namespace: 'shop-web' }]);
  assert.equal(k8s[0]!.image.reference, 'redis:7.2.4');
});

test('bad, truncated and unknown documents give a problem with file and line; the rest is read', () => {
  const problems: InputProblem[] = [];
  const full = JSON.stringify({ SchemaVersion: 2, ArtifactName: 'a:1', Results: [{ Target: 'a:1 (alpine 3.19)', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'x', InstalledVersion: '1', Severity: 'LOW' }] }] }, null, 2);
  // cut short
  assert.deepEqual(readVulnText('cut.json', full.slice(0, 120), problems).reports, []);
  assert.equal(problems[0]!.code, 'json-syntax');
  assert.equal(problems[0]!.source, 'cut.json');
  assert.match(problems[0]!.message, /ends early/);
  assert.equal(problems[0]!.line, full.slice(0, 120).split('\n').length);
  // no format kordon knows
  readVulnText('other.json', '{"hello": "world"}', problems);
  assert.equal(problems[1]!.code, 'unknown-format');
  // wrong types inside: the entry skipped, with its pointer and line; the others read
  const bad = `{
  "SchemaVersion": 2,
  "ArtifactName": "a:1",
  "Results": [
    {
      "Target": "a:1 (alpine 3.19)",
      "Vulnerabilities": [
        { "VulnerabilityID": "CVE-1", "PkgName": "x", "InstalledVersion": "1", "Severity": "LOW" },
        { "PkgName": "y", "InstalledVersion": "2", "Severity": "HIGH" },
        "not an object",
        { "VulnerabilityID": "CVE-3", "PkgName": "z", "InstalledVersion": "3" }
      ]
    }
  ]
}`;
  const r = readVulnText('bad.json', bad, problems);
  assert.deepEqual(r.reports[0]!.vulnerabilities.map((v) => [v.id, v.severity]), [['CVE-1', 'LOW'], ['CVE-3', 'unstated']]);
  const mine = problems.slice(2);
  assert.deepEqual(mine.map((p) => [p.line, p.severity, p.message]), [
    [9, 'error', '/Results/0/Vulnerabilities/1: a vulnerability without VulnerabilityID; skipped'],
    [10, 'error', '/Results/0/Vulnerabilities/2: not an object; skipped'],
    [11, 'warning', '/Results/0/Vulnerabilities/3: CVE-3: no Severity stated; kept as "unstated"'],
  ]);
});

test('format detection: each format by its own marks, others not taken for one', () => {
  assert.equal(detectFormat({ bomFormat: 'CycloneDX', specVersion: '1.7' }), 'cyclonedx');
  assert.equal(detectFormat({ spdxVersion: 'SPDX-2.3' }), 'spdx');
  assert.equal(detectFormat({ matches: [], source: {} }), 'grype');
  assert.equal(detectFormat({ artifacts: [], artifactRelationships: [] }), 'syft');
  assert.equal(detectFormat({ ClusterName: 'x', Resources: [] }), 'trivy-k8s');
  assert.equal(detectFormat({ SchemaVersion: 2, Results: [] }), 'trivy');
  assert.equal(detectFormat({ apiVersion: 'v1', kind: 'List', items: [] }), undefined);
  assert.equal(detectFormat([]), undefined);
  // a CycloneDX version outside 1.4–1.7 is read with a warning
  const problems: InputProblem[] = [];
  readVulnText('old.json', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.2', metadata: { component: { type: 'container', name: 'x', version: '1' } }, components: [] }), problems);
  assert.deepEqual(problems.map((p) => [p.severity, p.message]), [['warning', '/specVersion: specVersion 1.2; kordon reads 1.4 to 1.7 (read as 1.7)']]);
});

test('a missing file is a problem; the other inputs are still read', async () => {
  const input = await readVulnInputs(['test/corpus/vulns/does-not-exist.json', `${SHOP}/trivy-worker.json`]);
  assert.equal(input.reports.length, 1);
  assert.deepEqual(input.problems.map((p) => [p.source, p.code]), [['test/corpus/vulns/does-not-exist.json', 'unreadable']]);
});

test('a plain CycloneDX SBOM gives the files of the packages a vulnerability report of the same image names', async () => {
  const { analyseVulns } = await import('../../src/vulns/analyse.js');
  const problems: InputProblem[] = [];
  const digest = `sha256:${'7'.repeat(64)}`;
  const sbom = readVulnText('sbom.cdx.json', JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    metadata: { component: { type: 'container', name: 'registry.example.com/x/app', version: digest } },
    components: [{ type: 'library', name: 'libz', version: '1.3', components: [{ type: 'library', name: 'minizip', version: '1.3', properties: [{ name: 'syft:location:0:path', value: '/usr/lib/libminizip.so.1' }] }], evidence: { occurrences: [{ location: '/usr/lib/libz.so.1' }] } }],
  }), problems);
  assert.equal(sbom.reports[0]!.sbomOnly, true);
  assert.deepEqual(sbom.reports[0]!.packages.map((p) => [p.key, p.files]), [['libz@1.3', ['/usr/lib/libz.so.1']], ['minizip@1.3', ['/usr/lib/libminizip.so.1']]]);
  const report = readVulnText('trivy.json', JSON.stringify({ SchemaVersion: 2, ArtifactName: 'registry.example.com/x/app:1', Metadata: { RepoDigests: [`registry.example.com/x/app@${digest}`] }, Results: [{ Target: 'registry.example.com/x/app:1 (alpine 3.20)', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'minizip', InstalledVersion: '1.3', Severity: 'HIGH' }] }] }), problems);
  const a = analyseVulns({ reports: [...sbom.reports, ...report.reports] });
  assert.equal(a.images.length, 1);
  assert.equal(a.vulnerabilities[0]!.evidence.packageFiles, 1, 'the SBOM told which file minizip owns');
  assert.deepEqual(problems, []);
});

test("Trivy's older Kubernetes report (Vulnerabilities[] of resources) is read the same way", () => {
  const problems: InputProblem[] = [];
  const r = readVulnText('old-k8s.json', JSON.stringify({ ClusterName: 'c', Vulnerabilities: [{ Namespace: 'ns', Kind: 'DaemonSet', Name: 'agent', Results: [{ Target: 'quay.io/x/agent:2 (ubuntu 22.04)', Class: 'os-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-2', PkgName: 'bash', InstalledVersion: '5', Severity: 'LOW' }] }, { Target: 'usr/bin/agent', Class: 'lang-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-3', PkgName: 'golang.org/x/net', InstalledVersion: 'v0.1.0', Severity: 'MEDIUM', PkgPath: 'usr/bin/agent' }] }] }], Misconfigurations: [] }), problems);
  assert.deepEqual(problems, []);
  assert.equal(r.format, 'trivy-k8s');
  assert.deepEqual(r.reports.map((x) => [x.image.reference, x.resources, x.vulnerabilities.map((v) => v.id)]), [['quay.io/x/agent:2', [{ kind: 'DaemonSet', name: 'agent', namespace: 'ns' }], ['CVE-2', 'CVE-3']]]);
  assert.deepEqual(r.reports[0]!.vulnerabilities[1]!.paths, ['/usr/bin/agent']);
});
