/**
 * Positions: every finding's file:line:column, for YAML (block and flow), JSON objects,
 * kubectl Lists (JSON and YAML), CRLF files and documents after `---` with comments; and the
 * one-pass pointer maps agree with the pointer-by-pointer walkers everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { scanPaths } from '../../src/scan.js';
import { YamlDocIndex } from '../../src/sources/manifests/yaml-events.js';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { JsonIndex, TextLocator } from '../../src/sources/manifests/locate.js';
import { jsonPointerOffset } from '../support/json-walk.js';
import { joinPointer, parsePointer } from '../../src/inventory/pointer.js';
import { generateSet } from '../../bench/generate.js';

const POD_BLOCK = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: NAME', 'spec:', '  containers:', '    - name: app', '      image: nginx:latest'];

async function scanText(files: Record<string, string | Buffer>): Promise<{ dir: string; findings: Awaited<ReturnType<typeof scanPaths>>['findings']; problems: Awaited<ReturnType<typeof scanPaths>>['problems'] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-positions-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const r = await scanPaths([dir]);
  return { dir, findings: r.findings, problems: r.problems };
}

function imageFinding(findings: Awaited<ReturnType<typeof scanPaths>>['findings'], name: string): { source: string; line: number; column: number } {
  const f = findings.find((x) => x.controlId === 'KOR-0100' && x.object?.name === name);
  assert.ok(f?.location, `no mutable-tag finding for ${name}`);
  return f.location;
}

test('YAML block style, several documents, comments after `---`', async () => {
  const text = [...POD_BLOCK.map((l) => l.replace('NAME', 'first')), '--- # the second pod', '# a comment line', '', ...POD_BLOCK.map((l) => l.replace('NAME', 'second')), '...', '---', ...POD_BLOCK.map((l) => l.replace('NAME', 'third'))].join('\n') + '\n';
  const { dir, findings, problems } = await scanText({ 'pods.yaml': text });
  try {
    assert.deepEqual(problems, []);
    const src = path.join(dir, 'pods.yaml');
    assert.deepEqual(imageFinding(findings, 'first'), { source: src, line: 8, column: 7 });
    assert.deepEqual(imageFinding(findings, 'second'), { source: src, line: 19, column: 7 });
    assert.deepEqual(imageFinding(findings, 'third'), { source: src, line: 29, column: 7 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('YAML flow style: the key inside the flow mapping', async () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: flow}\nspec: {containers: [{name: app, "image": "nginx:latest"}]}\n';
  const { dir, findings } = await scanText({ 'flow.yaml': text });
  try {
    assert.deepEqual(imageFinding(findings, 'flow'), { source: path.join(dir, 'flow.yaml'), line: 4, column: 33 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CRLF line endings give the same lines and columns as LF', async () => {
  const lf = POD_BLOCK.map((l) => l.replace('NAME', 'crlf')).join('\n') + '\n---\n' + POD_BLOCK.map((l) => l.replace('NAME', 'crlf-two')).join('\n') + '\n';
  const { dir, findings, problems } = await scanText({ 'crlf.yaml': lf.replace(/\n/g, '\r\n'), 'crlf.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crlf-json' }, spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } }, null, 2).replace(/\n/g, '\r\n') });
  try {
    assert.deepEqual(problems, []);
    assert.deepEqual(imageFinding(findings, 'crlf'), { source: path.join(dir, 'crlf.yaml'), line: 8, column: 7 });
    assert.deepEqual(imageFinding(findings, 'crlf-two'), { source: path.join(dir, 'crlf.yaml'), line: 17, column: 7 });
    assert.deepEqual(imageFinding(findings, 'crlf-json'), { source: path.join(dir, 'crlf.json'), line: 11, column: 9 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON objects and kubectl Lists (/items/N/...), JSON and YAML', async () => {
  const pod = (name: string): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx:latest' }] } });
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [pod('item-0'), pod('item-1')] };
  const { dir, findings, problems } = await scanText({ 'pod.json': JSON.stringify(pod('single'), null, 4), 'list.json': JSON.stringify(list, null, 4), 'list.yaml': dump(list) });
  try {
    assert.deepEqual(problems, []);
    assert.deepEqual(imageFinding(findings, 'single'), { source: path.join(dir, 'pod.json'), line: 11, column: 17 });
    // items[1] of the 4-space List: "image" is on line 37
    const jsonLines = JSON.stringify(list, null, 4).split('\n');
    const imageLines = jsonLines.flatMap((l, i) => (l.includes('"image"') ? [i + 1] : []));
    assert.deepEqual(imageFinding(findings, 'item-0'), { source: path.join(dir, 'list.json'), line: imageLines[0]!, column: 25 });
    assert.deepEqual(imageFinding(findings, 'item-1'), { source: path.join(dir, 'list.json'), line: imageLines[1]!, column: 25 });
    const yamlLines = dump(list).split('\n').flatMap((l, i) => (l.includes('image:') ? [i + 1] : []));
    assert.equal(imageFinding(findings, 'item-1').line, imageLines[1]);
    const y = findings.filter((f) => f.controlId === 'KOR-0100' && f.location?.source === path.join(dir, 'list.yaml')).map((f) => f.location!.line);
    assert.deepEqual(y, yamlLines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys the API server renames (`on:` → "true"), repeated keys and aliases are located', () => {
  const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: odd', 'data:', '  on: a', '  k: first', '  k: last', 'anchored: &x', '  inner: 1', 'aliased: *x', ''].join('\n');
  const parsed = parseManifestText('odd.yaml', text);
  const locator = new TextLocator();
  locator.addYaml('odd.yaml', parsed.yamlDocs!);
  const origin = parsed.objects[0]!.origin;
  assert.deepEqual(locator.locate(origin, '/data/true'), { line: 6, column: 3 });
  assert.deepEqual(locator.locate(origin, '/data/k'), { line: 8, column: 3 });
  assert.deepEqual(locator.locate(origin, '/aliased/inner'), { line: 10, column: 3 }, 'inside an alias: the anchored definition');
  assert.deepEqual(locator.locate(origin, '/data/missing/deeper'), { line: 5, column: 1 }, 'a missing field: its nearest existing parent');
  // the locator also works from raw documents (positions built on demand)
  const fresh = new TextLocator();
  fresh.addYaml('odd.yaml', parsed.yamlDocs!.map((d) => d.raw));
  assert.deepEqual(fresh.locate(origin, '/data/k'), { line: 8, column: 3 });
});

function allPointers(v: unknown, base: string, out: string[]): void {
  out.push(base, `${base}/no-such-field`);
  if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPointers(x, joinPointer(base, Array.isArray(v) ? Number(k) : k), out);
}

test('indexed lookups agree with the plain walkers on every field of a generated set', () => {
  const objects = generateSet(120).apps.flatMap((a) => a.objects);
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'weird/keys' }, data: { 'a/b': '1', 'c~d': '2', 'quoted "x"': '3', 'esc\\aped': '4' } });
  const yamlText = objects.map((o) => dump(o)).join('---\n');
  const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2);
  const yaml = parseManifestText('set.yaml', yamlText);
  const json = parseManifestText('set.json', jsonText, { json: true });
  assert.equal(yaml.objects.length, objects.length);
  assert.equal(json.objects.length, objects.length);
  let compared = 0;
  for (const { object, origin } of yaml.objects) {
    // documents the line reader took carry the positions it kept while reading (a small input):
    // each must be the full reader's
    const doc = yaml.yamlDocs![origin.documentIndex]!;
    const full = YamlDocIndex.parse(doc.raw.text, 4096);
    const index = doc.index ?? full;
    const pointers: string[] = [];
    allPointers(object, '', pointers);
    for (const p of pointers) {
      assert.equal(index.offsetOfPointer(p, parsePointer(p)), full.offsetOf(parsePointer(p)), `YAML ${p}`);
      compared++;
    }
  }
  for (const { object, origin } of json.objects) {
    const pointers: string[] = [];
    allPointers(object, origin.itemPointer, pointers);
    for (const p of pointers) {
      assert.equal((json.jsonIndex as JsonIndex).offsetOf(parsePointer(p)), jsonPointerOffset(jsonText, parsePointer(p)), `JSON ${p}`);
      compared++;
    }
  }
  assert.ok(compared > 10_000, `compared ${compared} pointers`);
});

test('JSON lookups skip brackets inside strings and take the last of repeated keys', () => {
  const text = '{"kind":"List","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"x":"[{\\"}]","y":"1"}},'
    + '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}],"containers":[{"name":"d","image":"j","args":["]","{"]}]}}]}';
  const parsed = parseManifestText('min.json', text);
  assert.equal(parsed.objects.length, 2);
  const index = parsed.jsonIndex as JsonIndex;
  const at = (p: string): number => index.offsetOf(parsePointer(p));
  assert.equal(text.slice(at('/items/0/data/y'), at('/items/0/data/y') + 3), '"y"');
  assert.equal(text.slice(at('/items/1/spec/containers/0/args/1'), at('/items/1/spec/containers/0/args/1') + 3), '"{"');
  // the second "containers" is the one JSON.parse kept
  assert.equal(text.slice(at('/items/1/spec/containers/0/name') - 40, at('/items/1/spec/containers/0/name')).includes('"containers":[{'), true);
  assert.ok(at('/items/1/spec/containers/0/image') > text.indexOf('"image":"j"') - 1);
  assert.equal(at('/items/1/spec/containers/0/image'), text.indexOf('"image":"j"'));
  assert.equal(at('/items/1/spec/missing/deeper'), text.indexOf('"spec"'), 'a missing field: its nearest existing parent');
  assert.equal(at('/items/7/spec'), text.indexOf('"items"'), 'an item that is not there: the items array');
  for (const p of ['/items/0/data/x', '/items/1/spec/containers/0/args/0', '/items/1/metadata/name']) assert.equal(at(p), jsonPointerOffset(text, parsePointer(p)), p);
});

test('Helm template lines: fields by key and parents, nearest spelled ancestor, list items, documents of one file, helpers only when unambiguous', async () => {
  const { TemplateMap } = await import('../../src/sources/helm/template-map.js');
  // helper bodies are read from text like the chart's `define` blocks
  const dir = mkdtempSync(path.join(tmpdir(), 'kordon-tpl-'));
  try {
    writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: x\nversion: 1.0.0\n');
    const templates = path.join(dir, 'templates');
    mkdirSync(templates);
    writeFileSync(path.join(templates, '_helpers.tpl'), ['{{- define "app.sidecar" -}}', '- name: proxy', '  image: {{ .Values.proxy }}', '  securityContext:', '    runAsUser: 0', '{{- end }}', '{{- define "app.other" -}}', 'image: x', '{{- end }}', ''].join('\n'));
    const { chartHelpers } = await import('../../src/sources/helm/template-map.js');
    const found = chartHelpers(dir);
    assert.deepEqual([...found.keys()].sort(), ['app.other', 'app.sidecar']);
    const text = [
      '{{- if .Values.enabled }}', //1
      'apiVersion: apps/v1', //2
      'kind: Deployment', //3
      'metadata:', //4
      '  name: {{ .Release.Name }}', //5
      'spec:', //6
      '  template:', //7
      '    spec:', //8
      '      {{- with .Values.podSecurityContext }}', //9
      '      securityContext:', //10
      '        {{- toYaml . | nindent 8 }}', //11
      '      {{- end }}', //12
      '      containers:', //13
      '        - name: app', //14
      '          image: "{{ .Values.image }}"', //15
      '          "imagePullPolicy": Always', //16
      '        - name: worker', //17
      '          image: worker', //18
      '        {{- include "app.sidecar" . | nindent 8 }}', //19
      '{{- end }}', //20
      '---', //21
      '# the second document', //22
      'apiVersion: v1', //23
      'kind: Service', //24
      'metadata:', //25
      '  name: svc', //26
      '',
    ].join('\n');
    const map = new TemplateMap('deploy.yaml', text, found);
    const line = (nth: number, kind: string, pointer: string): string => {
      const p = map.locate(nth, 2, kind, 0, pointer);
      return `${p.source}:${p.line}`;
    };
    assert.equal(map.documentStart(0, 2, 'Deployment', 0).line, 2);
    assert.equal(map.documentStart(1, 2, 'Service', 0).line, 23);
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/1/image'), 'deploy.yaml:18');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/0/image'), 'deploy.yaml:15');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/0/imagePullPolicy'), 'deploy.yaml:16');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/1'), 'deploy.yaml:17');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/securityContext/runAsNonRoot'), 'deploy.yaml:10');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/2'), path.join(templates, '_helpers.tpl') + ':2');
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/2/securityContext/runAsUser'), path.join(templates, '_helpers.tpl') + ':5');
    // `image` is spelled by two helpers (only one of them included): the included one
    assert.equal(line(0, 'Deployment', '/spec/template/spec/containers/2/image'), path.join(templates, '_helpers.tpl') + ':3');
    assert.equal(line(0, 'Deployment', '/metadata/labels/app'), 'deploy.yaml:4');
    assert.equal(line(1, 'Service', '/metadata/name'), 'deploy.yaml:26');
    assert.equal(line(1, 'Service', '/spec/ports/0/port'), 'deploy.yaml:23');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
