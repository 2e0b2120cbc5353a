import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { runCli } from '../support/cli.js';

const SHOP = 'test/corpus/vulns/shop';
const ARGS = [`${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', `${SHOP}/runtime`];

test('kordon vulns --format json: the documented shape, one entry per image, package and vulnerability', async () => {
  const r = await runCli(['vulns', ...ARGS, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['summary', 'images', 'vulnerabilities', 'partial', 'problems']);
  const img = j.images.find((i: { image: string }) => i.image === 'ghcr.io/acme/api:2.1.0');
  assert.deepEqual(
    { image: img.image, digest: img.digest, workloads: img.workloads, vulnerabilities: img.vulnerabilities, inUse: img.inUse, notObserved: img.notObserved, remaining: img.remaining },
    { image: 'ghcr.io/acme/api:2.1.0', digest: 'sha256:5387c48922f6298c01fa656bbf24b77d5a9af240dd97296af8734c3c5fcc717d', workloads: ['Deployment/shop-api/api'], vulnerabilities: 4, inUse: 2, notObserved: 2, remaining: 2 },
  );
  const v = j.vulnerabilities.find((x: { id: string }) => x.id === 'CVE-2024-26130');
  assert.deepEqual(
    { id: v.id, package: v.package, version: v.version, fixedVersion: v.fixedVersion, severity: v.severity, image: v.image, workloads: v.workloads, inUse: v.inUse },
    { id: 'CVE-2024-26130', package: 'cryptography', version: '41.0.7', fixedVersion: '42.0.4', severity: 'high', image: 'ghcr.io/acme/api:2.1.0', workloads: ['Deployment/shop-api/api'], inUse: 'yes' },
  );
  assert.ok(v.evidence.files.some((f: { file: string; tool: string }) => f.file.endsWith('_rust.abi3.so') && f.tool === 'tetragon'));
  assert.equal(j.partial, false);
  // the same input gives the same bytes
  assert.equal((await runCli(['vulns', ...ARGS, '--format', 'json'])).out, r.out);
});

test('works from reports alone (no manifests)', async () => {
  const r = await runCli(['vulns', '--vulns', `${SHOP}/reports`, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.images.length, 4);
  assert.equal(j.summary.vulnerabilities, 12);
  assert.ok(j.vulnerabilities.every((v: { inUse: string }) => v.inUse === 'unknown'));
});

test('OpenVEX output is valid against the OpenVEX 0.2.0 schema; not_affected only under the honesty rule', async () => {
  const r = await runCli(['vulns', ...ARGS, '--format', 'openvex']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync('test/fixtures/vulns/openvex-0.2.0.schema.json', 'utf8')));
  assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
  const status = Object.fromEntries(doc.statements.map((s: { vulnerability: { name: string }; status: string; justification?: string }) => [s.vulnerability.name, `${s.status}${s.justification ? ` ${s.justification}` : ''}`]));
  assert.equal(status['CVE-2024-45491'], 'not_affected vulnerable_code_not_in_execute_path');
  assert.equal(status['CVE-2024-22195'], 'not_affected vulnerable_code_not_in_execute_path');
  assert.equal(status['CVE-2023-47038'], 'affected', 'not observed in one container, no evidence in another');
  assert.equal(doc.statements.filter((s: { status: string }) => s.status === 'not_affected').length, 2);
  const expat = doc.statements.find((s: { vulnerability: { name: string } }) => s.vulnerability.name === 'CVE-2024-45491');
  // the exact purls, and beside them their general forms (no qualifiers) that consumers match
  assert.deepEqual(expat.products, [
    {
      '@id': 'pkg:oci/api@sha256%3A5387c48922f6298c01fa656bbf24b77d5a9af240dd97296af8734c3c5fcc717d?repository_url=ghcr.io%2Facme%2Fapi',
      identifiers: { purl: 'pkg:oci/api@sha256%3A5387c48922f6298c01fa656bbf24b77d5a9af240dd97296af8734c3c5fcc717d' },
      subcomponents: [{ '@id': 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12', identifiers: { purl: 'pkg:deb/debian/libexpat1@2.5.0-1' } }],
    },
    {
      // the platform manifest of the same multi-arch image (Syft's manifestDigest)
      '@id': 'pkg:oci/api@sha256%3A86084fc7e982af7b0ef24fecdbbf4ab94d679ea05b780911c4fd0d3bae976e69?repository_url=ghcr.io%2Facme%2Fapi',
      identifiers: { purl: 'pkg:oci/api@sha256%3A86084fc7e982af7b0ef24fecdbbf4ab94d679ea05b780911c4fd0d3bae976e69' },
      subcomponents: [{ '@id': 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12', identifiers: { purl: 'pkg:deb/debian/libexpat1@2.5.0-1' } }],
    },
  ]);
  assert.match(expat.status_notes, /stated complete for 2026-11-22T00:00:00Z to 2026-11-29T00:00:00Z/);
  // deterministic: the timestamp is the newest time in the inputs, the id a hash of the content
  assert.equal(doc.timestamp, '2026-11-30T10:00:00Z');
  assert.equal((await runCli(['vulns', ...ARGS, '--format', 'openvex'])).out, r.out);
  // the schema catches what it should: a not_affected statement without a justification
  const broken = structuredClone(doc);
  delete broken.statements.find((s: { status: string }) => s.status === 'not_affected').justification;
  assert.equal(validate(broken), false);
});

test('CycloneDX VEX output: analysis per vulnerability, severities as stated kept in properties', async () => {
  const r = await runCli(['vulns', ...ARGS, '--format', 'cyclonedx', '--timestamp', '2026-12-01T00:00:00Z']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.bomFormat, 'CycloneDX');
  assert.equal(doc.specVersion, '1.6');
  assert.match(doc.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(doc.metadata.timestamp, '2026-12-01T00:00:00Z');
  const refs = new Set(doc.components.map((c: { 'bom-ref': string }) => c['bom-ref']));
  for (const v of doc.vulnerabilities) for (const a of v.affects) assert.ok(refs.has(a.ref), `${v.id} affects ${a.ref}`);
  const expat = doc.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2024-45491');
  assert.deepEqual({ state: expat.analysis.state, justification: expat.analysis.justification }, { state: 'not_affected', justification: 'code_not_reachable' });
  const ssl = doc.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2024-0727');
  assert.equal(ssl.analysis.state, 'in_triage');
  assert.deepEqual(ssl.properties.find((p: { name: string }) => p.name === 'kordon:severity'), { name: 'kordon:severity', value: 'Medium' });
});

test('no secret value from a report reaches any output; bad inputs exit 3 and are listed', async () => {
  for (const format of ['pretty', 'json', 'openvex', 'cyclonedx']) {
    const r = await runCli(['vulns', ...ARGS, '--format', format]);
    assert.ok(!(r.out + r.err).includes('KORDONFIXTURESECRETVALUE'), format);
  }
  for (const args of [['scan', ...ARGS, '--format', 'json'], ['paths', ...ARGS, '--format', 'json'], ['plan', ...ARGS, '--format', 'json']]) {
    const r = await runCli(args);
    const all = r.out + r.err;
    for (const s of ['KORDONFIXTURESECRETVALUE', 'S09SRE9ORklYVFVSRUtFWQ==', 'KORDONFIXTUREKEY']) assert.ok(!all.includes(s), `${args[0]}: ${s}`);
  }
  const r = await runCli(['vulns', '--vulns', `${SHOP}/reports/trivy-worker.json`, '--vulns', 'test/corpus/vulns/bad', '--format', 'json']);
  assert.equal(r.code, 3);
  const j = JSON.parse(r.out);
  assert.equal(j.partial, true);
  assert.deepEqual(j.problems.map((p: { source: string; line?: number; code: string }) => [p.source.split('/').pop(), p.line, p.code]), [
    ['not-a-report.json', 1, 'unknown-format'],
    ['truncated-grype.json', 14, 'json-syntax'], // the last line: where the text stops,
  ]);
  assert.equal(j.summary.vulnerabilities, 2, 'the good report is still read');
  const usage = await runCli(['vulns', `${SHOP}/manifests`]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--vulns/);
});

test('scan --vulns: findings per container with its own verdict, SARIF at the image line', async () => {
  const r = await runCli(['scan', ...ARGS, '--controls', 'KOR-04*', '--format', 'sarif']);
  assert.equal(r.code, 0, r.err);
  const results = JSON.parse(r.out).runs[0].results as Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { region: { startLine: number } } }>; properties: { object: string; container: string; severity: string } }>;
  const lines = readFileSync(`${SHOP}/manifests/shop.yaml`, 'utf8').split('\n');
  for (const x of results) assert.match(lines[x.locations[0]!.physicalLocation.region.startLine - 1]!, /^\s+image: /, x.message.text);
  const zlib = results.filter((x) => x.message.text.includes('CVE-2023-45853'));
  // in use where the storefront's complete profile shows libz opened; not ruled out in the
  // sidecar and the debug pod that run the same image without evidence
  assert.deepEqual(zlib.map((x) => [x.ruleId, x.properties.object, x.properties.container, x.properties.severity]), [
    ['KOR-0400', 'Deployment shop-web/storefront', 'web', 'critical'],
    ['KOR-0401', 'Deployment shop-api/api', 'proxy', 'critical'],
    ['KOR-0401', 'Pod shop-api/debug', 'shell', 'critical'],
  ]);
  const perl = results.filter((x) => x.message.text.includes('CVE-2023-47038'));
  assert.deepEqual(perl.map((x) => [x.ruleId, x.properties.container, x.properties.severity]).sort(), [
    ['KOR-0401', 'proxy', 'high'],
    ['KOR-0401', 'shell', 'high'],
    ['KOR-0402', 'web', 'info'],
  ]);
  assert.match(perl.find((x) => x.ruleId === 'KOR-0402')!.message.text, /HIGH \(nvd\).*not observed: none of the package's 2 file\(s\) executed or opened; kubescape evidence kubescape.io\/status completed/);
  const failing = await runCli(['scan', ...ARGS, '--controls', 'KOR-04*', '--fail-on', 'critical']);
  assert.equal(failing.code, 1);
});

test('--kev flags the catalogue\'s CVEs known exploited; its broken entries are a warning', async () => {
  const r = await runCli(['vulns', ...ARGS, '--kev', 'test/fixtures/vulns/kev.json', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2024-45491').knownExploited, true);
  assert.equal(j.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2024-22195').knownExploited, undefined);
  assert.deepEqual(j.problems.filter((p: { source: string }) => p.source.endsWith('kev.json')).map((p: { severity: string; message: string }) => [p.severity, p.message]), [['warning', '/vulnerabilities: 1 entry without cveID; skipped']]);
  const bad = await runCli(['vulns', '--runtime', `${SHOP}/runtime`]);
  assert.equal(bad.code, 2);
  const lone = await runCli(['scan', `${SHOP}/manifests`, '--runtime', `${SHOP}/runtime`]);
  assert.equal(lone.code, 2, 'evidence without reports is a usage error');
});
