/**
 * kordon's OpenVEX read by the OpenVEX project's own library: github.com/openvex/go-vex (the
 * version in test/support/openvex-check/go.mod, built from the Go module proxy and cached like the
 * live test binaries). The checker parses each document with `vex.Parse`, runs every statement's
 * `Validate()`, and asks `Matches(vulnerability, product, subcomponent)` which statement applies:
 * the way VEX consumers built on go-vex read kordon's statements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli.js';

interface Checked {
  file: string;
  error?: string;
  context?: string;
  timestamp?: string;
  queries?: string[];
  statements: Array<{ vulnerability: string; products: string[]; subcomponents: string[]; status: string; justification?: string; valid: string; matched: string }>;
}

const checker = (): string => execFileSync('test/support/openvex-check/build.sh', { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const check = (bin: string, files: string[], match?: string): Checked[] => JSON.parse(execFileSync(bin, [...(match ? ['--match', match] : []), ...files], { encoding: 'utf8', timeout: 60_000 }));

const SHOP = 'test/corpus/vulns/shop';
const REAL = 'test/fixtures/vulns/real';

test('go-vex parses kordon\'s OpenVEX, every statement passes Validate(), and Matches() finds each statement for its product and subcomponent', { timeout: 900_000 }, async () => {
  const bin = checker();
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-openvex-'));
  try {
    const runs = {
      shop: ['vulns', `${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', `${SHOP}/runtime`, '--format', 'openvex'],
      real: ['vulns', `${REAL}/deployment.yaml`, '--vulns', `${REAL}/grype.json`, '--vulns', `${REAL}/syft.json`, '--runtime', `${REAL}/kubescape-profile.yaml`, '--format', 'openvex'],
      reportsOnly: ['vulns', '--vulns', `${SHOP}/reports`, '--format', 'openvex'],
    };
    const kordon: Record<string, { statements: Array<{ vulnerability: { name: string }; status: string; justification?: string }> }> = {};
    for (const [name, args] of Object.entries(runs)) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.err);
      writeFileSync(path.join(dir, `${name}.json`), r.out);
      kordon[name] = JSON.parse(r.out);
    }
    const results = check(bin, Object.keys(runs).map((n) => path.join(dir, `${n}.json`)));
    for (const f of results) {
      const name = path.basename(f.file, '.json');
      assert.equal(f.error, undefined, `${name}: ${f.error}`);
      assert.equal(f.context, 'https://openvex.dev/ns/v0.2.0');
      assert.equal(f.statements.length, kordon[name]!.statements.length, name);
      f.statements.forEach((s, i) => {
        const k = kordon[name]!.statements[i]!;
        assert.equal(s.valid, 'ok', `${name} ${s.vulnerability}: ${s.valid}`);
        assert.deepEqual([s.vulnerability, s.status, s.justification ?? ''], [k.vulnerability.name, k.status, k.justification ?? ''], name);
        assert.equal(s.matched, s.status, `${name} ${s.vulnerability}: go-vex matches the statement for its product and subcomponent`);
      });
    }
    // the honesty rule as go-vex reads it: not_affected only where complete evidence ruled it out
    const statusOf = (name: string) => Object.fromEntries(results.find((f) => f.file.endsWith(`${name}.json`))!.statements.map((s) => [s.vulnerability, `${s.status}${s.justification ? ` ${s.justification}` : ''}`]));
    assert.deepEqual(statusOf('real'), {
      'CVE-2023-45853': 'affected',
      'CVE-2024-45491': 'not_affected vulnerable_code_not_in_execute_path',
      'CVE-2024-0727': 'not_affected vulnerable_code_not_in_execute_path',
      'GHSA-9wx4-h78v-vm56': 'not_affected vulnerable_code_not_in_execute_path',
      'GHSA-rv95-896h-c2vc': 'affected',
    });
    assert.ok(Object.values(statusOf('reportsOnly')).every((s) => s === 'affected'), 'no evidence: nothing is not_affected');

    // a consumer names the image and package with its own purls: the image by digest without
    // repository_url, the package with another tool's qualifiers (Trivy's distro=debian-12.4
    // where Grype wrote debian-12); the statement still applies, and only to that image and version
    const expatImage = 'pkg:oci/api@sha256%3A5387c48922f6298c01fa656bbf24b77d5a9af240dd97296af8734c3c5fcc717d';
    const queries = [
      { vulnerability: 'CVE-2024-45491', product: expatImage, subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12.4' },
      { vulnerability: 'CVE-2024-45491', product: `${expatImage}?repository_url=ghcr.io%2Facme%2Fapi&tag=2.1.0`, subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12&upstream=expat' },
      { vulnerability: 'CVE-2024-45491', product: expatImage, subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1+deb12u1?arch=amd64&distro=debian-12' },
      // the platform manifest of the same multi-arch image
      { vulnerability: 'CVE-2024-45491', product: 'pkg:oci/api@sha256%3A86084fc7e982af7b0ef24fecdbbf4ab94d679ea05b780911c4fd0d3bae976e69', subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1' },
      // another image
      { vulnerability: 'CVE-2024-45491', product: 'pkg:oci/api@sha256%3A0000000000000000000000000000000000000000000000000000000000000001', subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1' },
      { vulnerability: 'CVE-2024-45491', product: 'pkg:oci/api', subcomponent: 'pkg:deb/debian/libexpat1@2.5.0-1' },
    ];
    writeFileSync(path.join(dir, 'queries.json'), JSON.stringify(queries));
    const [q] = check(bin, [path.join(dir, 'shop.json')], path.join(dir, 'queries.json'));
    assert.deepEqual(q!.queries, ['not_affected', 'not_affected', '', 'not_affected', '', '']);

    // the oracle can fail: a not_affected statement without a justification (nor impact statement)
    const broken = structuredClone(kordon['real']!) as { statements: Array<Record<string, unknown>> };
    const na = broken.statements.find((s) => s['status'] === 'not_affected')!;
    delete na['justification'];
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    const [b] = check(bin, [path.join(dir, 'broken.json')]);
    assert.match(b!.statements.find((s) => s.status === 'not_affected')!.valid, /either justification or impact statement must be defined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
