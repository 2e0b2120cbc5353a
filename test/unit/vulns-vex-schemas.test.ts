/**
 * kordon's VEX output against the formats' schemas.
 *
 * CycloneDX: the official JSON schemas (bom-1.6 and 1.7 with the spdx, jsf-0.82 and (1.7)
 * cryptography-defs schemas they refer
 * to) as the npm package `@cyclonedx/cyclonedx-library` ships them in res/schema (the CycloneDX
 * project's own library; its README there names the specification commit they come from). The
 * package renames the referenced files to `*.SNAPSHOT.schema.json`; they are registered here
 * under those names. Formats: ajv-formats for date-time, uri and the rest; the two the schema
 * uses that ajv-formats lacks (`iri-reference`, `idn-email`, RFC 3987 / RFC 6531) are checked
 * here with the WHATWG URL parser and a one-@ rule.
 *
 * OpenVEX: test/fixtures/vulns/openvex-0.2.0.schema.json (see docs/vulns.md for its origin).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { runCli } from '../support/cli.js';
import { readVulnText } from '../../src/sources/vulns/read.js';
import { readRuntimeText } from '../../src/sources/runtime/read.js';
import { analyseVulns } from '../../src/vulns/analyse.js';
import { toCycloneDxVex, toOpenVex } from '../../src/vulns/vex.js';

const require = createRequire(import.meta.url);
const SCHEMAS = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');

function cycloneDxValidator(version: '1.6' | '1.7') {
  const ajv = new Ajv.default({
    allErrors: true,
    strict: false,
    formats: {
      'iri-reference': (s: string) => {
        try {
          new URL(s, 'http://base.invalid/');
          return true;
        } catch {
          return false;
        }
      },
      'idn-email': (s: string) => /^[^@\s]+@[^@\s]+$/u.test(s),
    },
  });
  addFormats.default(ajv);
  for (const f of ['spdx', 'jsf-0.82', 'cryptography-defs']) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS, `${f}.SNAPSHOT.schema.json`), 'utf8'));
    assert.equal(schema.$id, `http://cyclonedx.org/schema/${f}.schema.json`, 'the official schema');
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${f}.SNAPSHOT.schema.json`);
  }
  const bom = JSON.parse(readFileSync(path.join(SCHEMAS, `bom-${version}.SNAPSHOT.schema.json`), 'utf8'));
  assert.equal(bom.$id, `http://cyclonedx.org/schema/bom-${version}.schema.json`);
  return ajv.compile(bom);
}

function openVexValidator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync('test/fixtures/vulns/openvex-0.2.0.schema.json', 'utf8')));
}

const SHOP = 'test/corpus/vulns/shop';

test('the validator set up from the official schemas accepts a real tool\'s output: the real Syft\'s CycloneDX 1.7 SBOM', () => {
  const doc = JSON.parse(readFileSync('test/fixtures/vulns/real/cyclonedx.json', 'utf8'));
  assert.equal(doc.specVersion, '1.7');
  const validate = cycloneDxValidator('1.7');
  assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
});

const ARGS = [`${SHOP}/manifests`, '--vulns', `${SHOP}/reports`, '--runtime', `${SHOP}/runtime`];

test('CycloneDX VEX output is valid against the official CycloneDX 1.6 JSON schema; bom-refs unique, every ref resolves', async () => {
  const validate = cycloneDxValidator('1.6');
  for (const args of [ARGS, ['--vulns', `${SHOP}/reports`], ['--vulns', 'test/corpus/vulns/hundred/trivy.json', '--vulns', 'test/corpus/vulns/hundred/syft.json', '--runtime', 'test/corpus/vulns/hundred/evidence-complete.yaml']]) {
    const r = await runCli(['vulns', ...args, '--format', 'cyclonedx']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.equal(doc.specVersion, '1.6');
    assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const refs = [...doc.components, ...doc.vulnerabilities].map((x: { 'bom-ref': string }) => x['bom-ref']);
    assert.equal(new Set(refs).size, refs.length, 'bom-refs are unique in the document');
    const comp = new Set(doc.components.map((c: { 'bom-ref': string }) => c['bom-ref']));
    for (const v of doc.vulnerabilities) for (const a of v.affects) assert.ok(comp.has(a.ref), a.ref);
  }
  // the schema catches what it should: a state outside CycloneDX's, a severity outside its words
  const doc = JSON.parse((await runCli(['vulns', ...ARGS, '--format', 'cyclonedx'])).out);
  const bad1 = structuredClone(doc);
  bad1.vulnerabilities[0].analysis.state = 'not_observed';
  assert.equal(validate(bad1), false);
  const bad2 = structuredClone(doc);
  bad2.vulnerabilities[0].ratings[0].severity = 'Critical';
  assert.equal(validate(bad2), false);
});

const REPORTS = `${SHOP}/reports`;
const RUNTIME = `${SHOP}/runtime`;
const reports = readdirSync(REPORTS).sort().map((f) => ({ source: path.join(REPORTS, f), text: readFileSync(path.join(REPORTS, f), 'utf8') }));
const evidence = readdirSync(RUNTIME).sort().flatMap((f) => readRuntimeText(path.join(RUNTIME, f), readFileSync(path.join(RUNTIME, f), 'utf8'), []));

/** Replaces the value at the n-th position of a walk of the document with another of any JSON type. */
function mutate(doc: unknown, n: number, value: unknown): unknown {
  let i = 0;
  const walk = (v: unknown): unknown => {
    if (i++ === n) return value;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

test('fuzz: whatever a report states (any value retyped or replaced), both VEX documents stay valid against their schemas', { timeout: 300_000 }, () => {
  const cdx = cycloneDxValidator('1.6');
  const vex = openVexValidator();
  const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('', ' ', 'pkg:', 'a b', 'sha256:', 'CVSSv3.1', 'NEGLIGIBLE', '9.8', '-1', 'https://x/ y', '%zz', 'pkg:npm/a%2', 'a\ud800b', 'pkg:npm/x\udc00@1'), fc.constant([]), fc.constant({}), fc.array(fc.string(), { maxLength: 2 }));
  fc.assert(
    fc.property(fc.nat(reports.length - 1), fc.nat(), anyValue, (which, at, value) => {
      const r = reports[which]!;
      const text = JSON.stringify(mutate(JSON.parse(r.text), at % 500, value));
      const read = readVulnText(r.source, text, []);
      const others = reports.filter((_, i) => i !== which).flatMap((o) => readVulnText(o.source, o.text, []).reports);
      const a = analyseVulns({ reports: [...others, ...read.reports], evidence });
      const c = toCycloneDxVex(a, '2026-12-01T00:00:00Z');
      assert.equal(cdx(c), true, JSON.stringify(cdx.errors?.slice(0, 3)));
      if (a.vulnerabilities.length === 0) return; // OpenVEX needs at least one statement (see vulns.ts)
      const o = toOpenVex(a, '2026-12-01T00:00:00Z');
      assert.equal(vex(o), true, JSON.stringify(vex.errors?.slice(0, 3)));
    }),
    { seed: 14_2028, numRuns: 300 },
  );
});

test('OpenVEX: a report\'s purl that is not a URI stays in identifiers.purl (the @id must be an IRI); no vulnerability, no document', async () => {
  const validate = openVexValidator();
  const src = `${SHOP}/reports/trivy-nginx.json`;
  const doc = JSON.parse(readFileSync(src, 'utf8'));
  const express = doc.Results.flatMap((r: { Vulnerabilities?: unknown[] }) => r.Vulnerabilities ?? []).find((v: { PkgName: string }) => v.PkgName === 'express');
  express.PkgIdentifier.PURL = 'pkg:npm/express@4.18.2%zz';
  const a = analyseVulns({ reports: readVulnText(src, JSON.stringify(doc), []).reports, evidence: [] });
  const vex = toOpenVex(a, '2026-12-01T00:00:00Z') as { statements: Array<{ vulnerability: { name: string }; products: Array<{ subcomponents: unknown[] }> }> };
  assert.equal(validate(vex), true, JSON.stringify(validate.errors));
  const st = vex.statements.find((s) => s.vulnerability.name === 'CVE-2024-29041')!;
  assert.deepEqual(st.products[0]!.subcomponents, [{ identifiers: { purl: 'pkg:npm/express@4.18.2%zz' } }]);
  const ssl = vex.statements.find((s) => s.vulnerability.name === 'CVE-2024-0727')!;
  assert.deepEqual(ssl.products[0]!.subcomponents, [{ '@id': 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.4', identifiers: { purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2' } }]);

  // an SBOM alone states no vulnerability: an OpenVEX document needs one statement at least
  const r = await runCli(['vulns', '--vulns', 'test/corpus/vulns/hundred/syft.json', '--format', 'openvex']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /state no vulnerability; an OpenVEX document needs at least one statement, so none is written/);
  const c = await runCli(['vulns', '--vulns', 'test/corpus/vulns/hundred/syft.json', '--format', 'cyclonedx']);
  assert.equal(cycloneDxValidator('1.6')(JSON.parse(c.out)), true, 'a CycloneDX BOM without vulnerabilities is valid');
});

test('a lone surrogate in a report\'s image name or purl: both VEX documents are written (U+FFFD in the purls) and valid', () => {
  const src = `${SHOP}/reports/trivy-worker.json`;
  const doc = JSON.parse(readFileSync(src, 'utf8'));
  doc.ArtifactName = 'registry.example.com/acme/wor\ud800ker:3.2';
  for (const r of doc.Results) for (const v of r.Vulnerabilities ?? []) v.PkgIdentifier = { PURL: `pkg:apk/alpine/${v.PkgName}\udc00@${v.InstalledVersion}` };
  const a = analyseVulns({ reports: readVulnText(src, JSON.stringify(doc), []).reports, evidence: [] });
  const o = toOpenVex(a, '2026-12-01T00:00:00Z') as { statements: Array<{ products: Array<{ '@id': string }> }> };
  assert.equal(openVexValidator()(o), true);
  assert.equal(o.statements[0]!.products[0]!['@id'], 'pkg:oci/wor%EF%BF%BDker?repository_url=registry.example.com%2Facme%2Fwor%EF%BF%BDker&tag=3.2');
  assert.equal(cycloneDxValidator('1.6')(toCycloneDxVex(a, '2026-12-01T00:00:00Z')), true);
});
