/**
 * SBOMs written by the real Syft (1.57.2) on a directory tree shaped like a Debian image's root
 * filesystem (test/fixtures/vulns/real/generate.sh builds the tree and reruns Syft): syft-json,
 * spdx-json and cyclonedx-json as Syft wrote them. Beside them, hand-written from Grype's
 * documented JSON: grype.json (five vulnerabilities of the same image), a Deployment running it,
 * and complete evidence of its container, as kordon RuntimeEvidence and as a Kubescape
 * ApplicationProfile (the Go binary executed, zlib opened through its soname link under /lib,
 * express's code opened).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { readVulnInputs, readVulnText } from '../../src/sources/vulns/read.js';
import type { InputProblem } from '../../src/inventory/types.js';

const REAL = 'test/fixtures/vulns/real';
const IMAGE = 'ghcr.io/acme/shop-api:3.0.0';

const filesOf = (r: { packages: Array<{ name: string; files: string[] }> }, name: string) => r.packages.find((p) => p.name === name)?.files;

test('Syft JSON from a real Syft run: packages, purls, and the files each owns from artifactRelationships', async () => {
  const input = await readVulnInputs([`${REAL}/syft.json`]);
  assert.deepEqual(input.problems, []);
  const r = input.reports[0]!;
  assert.equal(r.format, 'syft');
  assert.equal(r.sbomOnly, true);
  // a directory source: the image is `--source-name:--source-version`
  assert.equal(r.image.reference, IMAGE);
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.purl]).sort(), [
    ['example.com/shop-api', 'UNKNOWN', 'pkg:golang/example.com/shop-api'],
    ['express', '4.18.2', 'pkg:npm/express@4.18.2'],
    ['golang.org/x/text', 'v0.14.0', 'pkg:golang/golang.org/x/text@v0.14.0'],
    ['libexpat1', '2.5.0-1', 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12.7&upstream=expat'],
    ['libssl3', '3.0.11-1~deb12u2', 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.7&upstream=openssl'],
    ['requests', '2.31.0', 'pkg:pypi/requests@2.31.0'],
    ['stdlib', 'go1.26.8', 'pkg:golang/stdlib@1.26.8'],
    ['zlib1g', '1:1.2.13.dfsg-1', 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12.7&upstream=zlib'],
  ]);
  assert.deepEqual(filesOf(r, 'libssl3'), ['/usr/lib/x86_64-linux-gnu/libcrypto.so.3', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/share/doc/libssl3/copyright', '/var/lib/dpkg/info/libssl3:amd64.md5sums', '/var/lib/dpkg/status']);
  // the files of a Python package as its RECORD lists them, relative to site-packages
  assert.ok(filesOf(r, 'requests')!.includes('/usr/local/lib/python3.11/site-packages/requests/api.py'));
  assert.deepEqual(filesOf(r, 'golang.org/x/text'), ['/usr/local/bin/shop-api']);

  // ownership from artifactRelationships alone (the package metadata's file lists removed)
  const doc = JSON.parse(readFileSync(`${REAL}/syft.json`, 'utf8'));
  for (const a of doc.artifacts) delete a.metadata;
  const problems: InputProblem[] = [];
  const bare = readVulnText('syft.json', JSON.stringify(doc), problems).reports[0]!;
  assert.deepEqual(problems, []);
  assert.ok(filesOf(bare, 'zlib1g')!.includes('/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'));
  assert.ok(filesOf(bare, 'libexpat1')!.includes('/usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10'));
  assert.ok(!filesOf(bare, 'requests')!.some((f) => f.endsWith('/requests/api.py')), 'Syft relates no file of requests: its RECORD is metadata');
});

test('SPDX and CycloneDX from the same Syft run: what each says about the image, purls and files', async () => {
  const input = await readVulnInputs([`${REAL}/spdx.json`, `${REAL}/cyclonedx.json`]);
  assert.deepEqual(input.problems, [], 'Syft writes CycloneDX 1.7; read without a warning');
  const [spdx, cdx] = [input.reports.find((r) => r.format === 'spdx')!, input.reports.find((r) => r.format === 'cyclonedx')!];
  for (const r of [spdx, cdx]) {
    assert.equal(r.image.reference, IMAGE, r.format);
    assert.equal(r.packages.length, 8, `${r.format}: the described directory is the image, not a package`);
    assert.equal(r.packages.find((p) => p.name === 'zlib1g')!.purl, 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12.7&upstream=zlib');
  }
  // SPDX: CONTAINS for the files a package installed, OTHER "evident-by" for its locations
  assert.ok(filesOf(spdx, 'zlib1g')!.includes('/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'));
  assert.deepEqual(filesOf(spdx, 'stdlib'), ['/usr/local/bin/shop-api']);
  assert.deepEqual(filesOf(spdx, 'express'), ['/usr/src/app/node_modules/express/package.json']);
  // CycloneDX: Syft lists files as components but not which package owns them; only locations
  assert.deepEqual(filesOf(cdx, 'zlib1g'), ['/var/lib/dpkg/status', '/usr/share/doc/zlib1g/copyright', '/var/lib/dpkg/info/zlib1g:amd64.md5sums']);
  assert.deepEqual(filesOf(cdx, 'express'), ['/usr/src/app/node_modules/express/package.json']);
});

interface Row { id: string; package: string; inUse: string; evidence: { files: Array<{ file: string; as?: string; observed: string }> } }
const verdicts = (j: { vulnerabilities: Row[] }) => Object.fromEntries(j.vulnerabilities.map((v) => [`${v.package} ${v.id}`, v.inUse]));

test('runtime evidence of a file a package owns makes it in use; complete evidence rules the rest out (syft-json and spdx-json; kordon and Kubescape evidence)', async () => {
  for (const [sbom, evidence] of [['syft.json', 'evidence.yaml'], ['spdx.json', 'evidence.yaml'], ['syft.json', 'kubescape-profile.yaml']] as const) {
    const r = await runCli(['vulns', `${REAL}/deployment.yaml`, '--vulns', `${REAL}/grype.json`, '--vulns', `${REAL}/${sbom}`, '--runtime', `${REAL}/${evidence}`, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.images.length, 1, `${sbom}: the SBOM and the Grype report are one image (joined by reference)`);
    assert.deepEqual(j.images[0].matches.map((m: { workload: string; method: string }) => [m.workload, m.method]), [['Deployment/shop/shop-api', 'tag']]);
    assert.deepEqual(verdicts(j), {
      'zlib1g CVE-2023-45853': 'yes',
      'express GHSA-rv95-896h-c2vc': 'yes',
      'libexpat1 CVE-2024-45491': 'no',
      'libssl3 CVE-2024-0727': 'no',
      'requests GHSA-9wx4-h78v-vm56': 'no',
    }, `${sbom} ${evidence}`);
    const zlib = j.vulnerabilities.find((v: Row) => v.package === 'zlib1g');
    // opened by its soname link under /lib: the file the SBOM lists is the one it points to
    assert.deepEqual(zlib.evidence.files.map((f: Row['evidence']['files'][0]) => [f.file, f.as, f.observed]), [['/usr/lib/x86_64-linux-gnu/libz.so.1.2.13', '/lib/x86_64-linux-gnu/libz.so.1', 'open']]);
    assert.equal(j.summary.remaining, 2);
  }
  // Syft's CycloneDX names no file of the dpkg packages: they stay unknown, never "not observed"
  const c = JSON.parse((await runCli(['vulns', `${REAL}/deployment.yaml`, '--vulns', `${REAL}/grype.json`, '--vulns', `${REAL}/cyclonedx.json`, '--runtime', `${REAL}/evidence.yaml`, '--format', 'json'])).out);
  assert.deepEqual(verdicts(c), {
    'zlib1g CVE-2023-45853': 'unknown',
    'express GHSA-rv95-896h-c2vc': 'yes',
    'libexpat1 CVE-2024-45491': 'unknown',
    'libssl3 CVE-2024-0727': 'unknown',
    'requests GHSA-9wx4-h78v-vm56': 'no',
  });
});

test('the honesty rule on the real SBOM: evidence not stated complete rules nothing out; the finding is on the image line', async () => {
  const incomplete = readFileSync(`${REAL}/evidence.yaml`, 'utf8').replace('complete: true', 'complete: false');
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-real-'));
  writeFileSync(`${dir}/evidence.yaml`, incomplete);
  const r = await runCli(['vulns', `${REAL}/deployment.yaml`, '--vulns', `${REAL}/grype.json`, '--vulns', `${REAL}/syft.json`, '--runtime', `${dir}/evidence.yaml`, '--format', 'json']);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(verdicts(JSON.parse(r.out)), {
    'zlib1g CVE-2023-45853': 'yes',
    'express GHSA-rv95-896h-c2vc': 'yes',
    'libexpat1 CVE-2024-45491': 'unknown',
    'libssl3 CVE-2024-0727': 'unknown',
    'requests GHSA-9wx4-h78v-vm56': 'unknown',
  });
  const s = await runCli(['scan', `${REAL}/deployment.yaml`, '--vulns', `${REAL}/grype.json`, '--vulns', `${REAL}/syft.json`, '--runtime', `${REAL}/evidence.yaml`, '--controls', 'KOR-04*', '--format', 'json']);
  assert.equal(s.code, 0, s.err);
  const findings = JSON.parse(s.out).findings as Array<{ controlId: string; message: string; location?: { line?: number } }>;
  const lines = readFileSync(`${REAL}/deployment.yaml`, 'utf8').split('\n');
  const z = findings.find((f) => f.message.includes('CVE-2023-45853'))!;
  assert.equal(z.controlId, 'KOR-0400');
  assert.match(z.message, /libz\.so\.1\.2\.13 opened \(as \/lib\/x86_64-linux-gnu\/libz\.so\.1\)/);
  assert.match(lines[z.location!.line! - 1]!, /image: ghcr\.io\/acme\/shop-api:3\.0\.0/);
  assert.deepEqual(findings.filter((f) => f.controlId === 'KOR-0402').map((f) => /(CVE|GHSA)-[\w-]+/.exec(f.message)![0]).sort(), ['CVE-2024-0727', 'CVE-2024-45491', 'GHSA-9wx4-h78v-vm56']);
});

test('Syft metadata file paths: a Python RECORD\'s are relative to site-packages (.. too); other relative paths are from the root', () => {
  const doc = {
    artifacts: [
      { id: 'py', name: 'charset-normalizer', version: '3.3.2', type: 'python', locations: [{ path: '/app/.venv/lib/python3.12/site-packages/charset_normalizer-3.3.2.dist-info/METADATA' }], metadata: { files: [{ path: 'charset_normalizer/api.py' }, { path: '../../../bin/normalizer' }] } },
      { id: 'apk', name: 'zlib', version: '1.3.1-r0', type: 'apk', locations: [{ path: '/lib/apk/db/installed' }], metadata: { files: [{ path: 'lib/libz.so.1.3.1' }] } },
    ],
    artifactRelationships: [],
    source: { type: 'image', metadata: { userInput: 'alpine-app:1' } },
  };
  const problems: InputProblem[] = [];
  const r = readVulnText('s.json', JSON.stringify(doc), problems).reports[0]!;
  assert.deepEqual(problems, []);
  assert.deepEqual(filesOf(r, 'charset-normalizer'), ['/app/.venv/bin/normalizer', '/app/.venv/lib/python3.12/site-packages/charset_normalizer-3.3.2.dist-info/METADATA', '/app/.venv/lib/python3.12/site-packages/charset_normalizer/api.py']);
  assert.deepEqual(filesOf(r, 'zlib'), ['/lib/apk/db/installed', 'lib/libz.so.1.3.1']);
});
