import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, formatJunit } from '../../src/report/junit.js';
import { problemLocation } from '../../src/report/common.js';
import type { ScanResult } from '../../src/engine/result.js';
import { fixtureScan } from './report-fixture.js';

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITY[e]!);

/** A small well-formedness check: balanced elements, quoted attributes, no bare `<` or `&`. */
function checkXml(xml: string): void {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
  const text = /(?:[^<&]|&(?:amp|lt|gt|quot|apos);)*/y;
  const stack: string[] = [];
  let i = 0;
  while (i < body.length) {
    text.lastIndex = i;
    text.exec(body);
    i = text.lastIndex;
    if (i >= body.length) break;
    tag.lastIndex = i;
    const m = tag.exec(body);
    assert.ok(m, `malformed XML at offset ${i}: ${JSON.stringify(body.slice(i, i + 60))}`);
    for (const a of m[3]!.matchAll(/="([^"]*)"/g)) assert.ok(/^(?:[^&]|&(?:amp|lt|gt|quot|apos);)*$/.test(a[1]!), `bad entity in ${a[1]}`);
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}> does not match`);
    else if (!m[4]) stack.push(m[2]!);
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

function attr(xml: string, element: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map((m) => decode(m[1]!));
}

test('JUnit: a suite per control that judged anything, a failing case per object, an input suite', async () => {
  const r = await fixtureScan();
  const xml = formatJunit(r);
  checkXml(xml);
  assert.deepEqual(attr(xml, 'testsuite', 'name'), ['KOR-0100 image-mutable-tag', 'KOR-9001 test-host-network', 'KOR-9002 test-no-network-policy', 'input']);
  // image-mutable-tag: web fails (two findings, one case), debug and agent are suppressed, pinned passes.
  const imageSuite = xml.slice(xml.indexOf('<testsuite name="KOR-0100'), xml.indexOf('</testsuite>'));
  assert.match(imageSuite, /tests="4" failures="1" errors="0" skipped="2"/);
  assert.equal((imageSuite.match(/<failure /g) ?? []).length, 1);
  assert.match(imageSuite, /name="Deployment prod\/web" file="test\/fixtures\/reports\/workloads.yaml" line="17"/);
  assert.match(imageSuite, /initContainers\/0\/image/);
  assert.match(imageSuite, /containers\/0\/image/);
  assert.match(imageSuite, /<skipped message="suppressed: short-lived debugging pod"\/>/);
  assert.match(imageSuite, /name="1 object pass"/);
  const [totalTests, totalFailures] = [attr(xml, 'testsuites', 'tests')[0], attr(xml, 'testsuites', 'failures')[0]];
  assert.equal(Number(totalTests), (xml.match(/<testcase /g) ?? []).length);
  assert.equal(Number(totalFailures), (xml.match(/<failure /g) ?? []).length);
  const p = r.problems[0]!;
  assert.ok(attr(xml, 'testcase', 'name').includes(problemLocation(p)));
  assert.ok(attr(xml, 'testcase', 'line').includes(String(p.line)));
  assert.match(xml, /type="error:yaml-syntax"/);
});

test('JUnit escapes <&"\' in names, messages and reasons', async () => {
  const r = await fixtureScan();
  const evil = `a<b>&"c'd`;
  const tampered: ScanResult = {
    ...r,
    findings: r.findings.map((f) => ({ ...f, message: `${evil} ${f.message}`, ...(f.object ? { object: { ...f.object, name: evil, id: `${f.object.id}${evil}` } } : {}), ...(f.suppressed ? { suppressed: { ...f.suppressed, reason: evil } } : {}) })),
    problems: r.problems.map((p) => ({ ...p, source: `dir/${evil}.yaml`, message: evil })),
  };
  const xml = formatJunit(tampered);
  checkXml(xml);
  assert.ok(attr(xml, 'testcase', 'name').some((n) => n.endsWith(`/${evil}`)));
  assert.ok(attr(xml, 'failure', 'message').includes(evil));
  assert.ok(attr(xml, 'skipped', 'message').includes(`suppressed: ${evil}`));
  assert.ok(attr(xml, 'testcase', 'file').includes(`dir/${evil}.yaml`));
});

test('escapeXml escapes markup and drops characters XML cannot carry', () => {
  assert.equal(escapeXml(`<&"'>`), '&lt;&amp;&quot;&apos;&gt;');
  assert.equal(escapeXml('a\u0000b\u001bc\td'), 'abc\td');
});

test('JUnit output is byte-identical for the same input', async () => {
  assert.equal(formatJunit(await fixtureScan()), formatJunit(await fixtureScan()));
});

test('the XML check itself rejects malformed XML', () => {
  assert.throws(() => checkXml('<a>x & y</a>'));
  assert.throws(() => checkXml('<a b="<"/>'));
  assert.throws(() => checkXml('<a><b></a></b>'));
  assert.doesNotThrow(() => checkXml('<a b="&quot;"><c/>t &amp; u</a>'));
});
