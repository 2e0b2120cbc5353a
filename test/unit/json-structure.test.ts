/**
 * The JSON position tables: built on the calling thread from the text, or on another thread
 * from the bytes. Both must agree exactly (the locator walks them to map pointers to lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateKeys, jsonStructure, JsonWorker, lineStartsOf } from '../../src/sources/manifests/json-structure.js';
import { JsonIndex, listItemOf, TextLocator, WorkerJsonIndex } from '../../src/sources/manifests/locate.js';
import { parseManifestText } from '../../src/sources/manifests/parse.js';
import { parsePointer } from '../../src/inventory/pointer.js';
import type { Placed } from '../../src/inventory/types.js';
import { generateSet } from '../../bench/generate.js';

const objects = generateSet(300).apps.flatMap((a) => a.objects);
objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'brackets' }, data: { 'a[': '{"x": [1, 2]}', 'q\\"': 'end]' } });
const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 4);

test('the structure: each container closes with its own bracket, strings are skipped', () => {
  const here = jsonStructure(text);
  assert.ok(here.count > 1000);
  assert.deepEqual(lineStartsOf('a\nb\n'), Uint32Array.from([0, 2, 4]));
  for (let k = 0; k < here.count; k += 97) {
    const open = text.slice(0, here.closes[k]! + 1);
    assert.ok('}]'.includes(text[here.closes[k]!]!), `container ${k}`);
    assert.ok(open.length > 0);
  }
  const tiny = jsonStructure('{"a": "[{", "b": [1, {"c": "}]"}]}');
  assert.equal(tiny.count, 3);
  assert.deepEqual([...tiny.closes.subarray(0, 3)], [33, 32, 31]);
  assert.deepEqual([...tiny.after.subarray(0, 3)], [3, 3, 3]);
});

test('a List held by another thread gives the same origins and positions as one indexed here', () => {
  const plain = parseManifestText('list.json', text);
  const worker = JsonWorker.start(Buffer.from(text, 'utf8'));
  const threaded = parseManifestText('list.json', text, { jsonTables: worker });
  assert.ok(threaded.jsonIndex instanceof WorkerJsonIndex, 'the thread answered');
  assert.ok(plain.jsonIndex instanceof JsonIndex);
  assert.equal(threaded.objects.length, plain.objects.length);
  assert.deepEqual(threaded.objects.map((o) => o.origin), plain.objects.map((o) => o.origin));
  const pointers = ['', '/items', '/kind', '/items/0/metadata/name', '/items/17/spec/template/spec/containers/0/image', `/items/${objects.length - 1}/data/a[`, `/items/${objects.length - 1}/data/q\\"`, '/items/3/no/such/field', `/items/${objects.length + 5}/spec`];
  for (const p of pointers) assert.deepEqual(threaded.jsonIndex.pointerPosition(p), plain.jsonIndex.pointerPosition(p), p);
  // deferred lookups through the locator, answered in bulk
  const locator = new TextLocator();
  locator.addJson('list.json', threaded.jsonIndex);
  const asked = threaded.objects.slice(0, 5000);
  const targets: Placed[] = asked.map(() => ({}));
  asked.forEach(({ origin }, i) => locator.locateLater(origin, '/metadata/name', targets[i]!));
  assert.ok(targets.every((t) => t.location === undefined), 'answers wait for settle()');
  locator.settle();
  assert.ok(targets.every((t) => t.location?.source === 'list.json'));
  const got = targets.map((t) => ({ line: t.location!.line, column: t.location!.column }));
  const want = plain.objects.slice(0, 5000).map(({ origin }) => plain.jsonIndex!.pointerPosition(origin.itemPointer + '/metadata/name'));
  assert.deepEqual(got, want);
  // a target that already has a location keeps its source and gets the field's line and column
  const held: Placed = { location: { source: 'list.json', line: 1, column: 1 } };
  locator.locateLater(asked[1]!.origin, '/metadata/name', held);
  locator.settle();
  assert.deepEqual(held.location, { source: 'list.json', ...want[1]! });
  worker.stop();
});

test('a text that turns out not to be JSON: the thread is stopped and YAML takes over', () => {
  const odd = '{ not: json, - [';
  const worker = JsonWorker.start(Buffer.from(odd, 'utf8'));
  const parsed = parseManifestText('odd.json', odd, { jsonTables: worker });
  assert.ok(parsed.problems.length > 0);
  assert.equal(worker.init(), undefined);
});

test('the thread measures the nesting: a List with a too-deep item still has it refused, the others read', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 600; i++) deep = { d: deep };
  const items = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: deep },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'last' } },
  ];
  const deepText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
  const structure = jsonStructure(deepText);
  assert.equal(structure.depth, 3 + 600); // root, items, the item, then the 600 levels of data
  const worker = JsonWorker.start(Buffer.from(deepText, 'utf8'));
  const parsed = parseManifestText('deep.json', deepText, { jsonTables: worker, limits: { maxAliasCount: 100, maxDepth: 512 } });
  assert.deepEqual(parsed.objects.map((o) => o.object.metadata.name), ['first', 'last']);
  assert.deepEqual(parsed.problems.map((p) => [p.code, p.line]), [['too-deep', 12]]);
  worker.stop();
  // a shallow List: the same objects whether or not the nesting was measured by the thread
  const flat = JsonWorker.start(Buffer.from(text, 'utf8'));
  assert.equal(jsonStructure(text).depth < 20, true);
  assert.deepEqual(parseManifestText('list.json', text, { jsonTables: flat }).objects, parseManifestText('list.json', text).objects);
  flat.stop();
});

test('List item pointers are recognised without a regular expression', () => {
  assert.equal(listItemOf('/items/0'), 0);
  assert.equal(listItemOf('/items/17/spec/containers/0'), 17);
  assert.equal(listItemOf('/items/123456'), 123456);
  for (const p of ['', '/items', '/items/', '/items//x', '/items/01', '/items/1a', '/items/-1', '/item/1', '/items/1234567890123456', 'items/1']) assert.equal(listItemOf(p), -1, p);
});

test('repeated member names are found per object, compared decoded, never in arrays or values', () => {
  const t = '{"a": 1, "b": {"a": 2, "c": [{"a": 3}, {"a": 4, "a": 5}]}, "a": "a", "x": ["a", "a"], "\\u0061": 6, "q\\"": 1, "q\\"": 2}';
  const offsets = duplicateKeys(t);
  assert.deepEqual(offsets.map((o) => t.slice(o, o + 4)), ['"a":', '"a":', '"\\u0', '"q\\"']);
  assert.deepEqual(duplicateKeys('{"a": {"b": 1}, "b": {"a": 1}}'), []);
  assert.deepEqual(duplicateKeys('[{"k": 1}, {"k": 2}]'), []);
  // many names in one object (kept in a set past 32), nested objects in between
  const many = Array.from({ length: 40 }, (_, i) => `"n${i}": {"n${i}": [1, {"x": 1}]}`);
  many.splice(35, 0, '"n3": 0');
  const big = `{${many.join(', ')}, "m": 1, "m": 2}`;
  assert.deepEqual(duplicateKeys(big).map((o) => big.slice(o, o + 5)), ['"n3":', '"m": ']);
  assert.deepEqual(duplicateKeys('{"ab": 1, "ba": 2, "a": {"ab": 3}, "abc": "ab", "ab" : 4}').length, 1);
  // 300 levels (the stacks grow past their first sizes), a repeat at the bottom and one on the way out
  const deep = `${'{"k": ['.repeat(150)}${'{"k": '.repeat(150)}{"x": 1, "x": 2}${'}'.repeat(150)}${'], "k": 0}'.repeat(150)}`;
  assert.equal(duplicateKeys(deep).length, 151);
  assert.equal(deep.slice(duplicateKeys(deep)[0]!, duplicateKeys(deep)[0]! + 4), '"x":');
});

test('the thread holding a large text reports its repeated names too, through the inventory', async () => {
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const items = [
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "1", "k": "2"}}',
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "name": "c"}}',
  ];
  const dupText = `{"apiVersion": "v1", "kind": "List",\n "items": [\n${items.join(',\n')}\n]}`;
  const here = parseManifestText('dup.json', dupText);
  assert.deepEqual(here.problems.map((p) => [p.code, p.line, p.column]), [['duplicate-key', 3, 89], ['duplicate-key', 4, 69]]);
  const worker = JsonWorker.start(Buffer.from(dupText, 'utf8'));
  const there = parseManifestText('dup.json', dupText, { jsonTables: worker });
  assert.ok(there.jsonIndex instanceof WorkerJsonIndex);
  assert.deepEqual(there.problems, [], 'not known yet when decoding ends');
  const locator = new TextLocator();
  locator.addJson('dup.json', there.jsonIndex);
  const inv = new Inventory(there.objects, [], locator);
  assert.deepEqual(inv.problems, here.problems);
  assert.deepEqual(inv.problems, here.problems, 'asked once');
  assert.deepEqual(there.objects.map((o) => o.object.metadata.name), ['a', 'c']);
  worker.stop();
  // a thread stopped before it told: the check is reported as not done, not left out silently
  const early = JsonWorker.start(Buffer.from(dupText, 'utf8'));
  const parsed = parseManifestText('dup.json', dupText, { jsonTables: early });
  early.stop();
  const lost = (parsed.jsonIndex as WorkerJsonIndex).lateProblems('dup.json');
  assert.deepEqual(lost.map((p) => [p.code, p.severity, p.source]), [['duplicate-key', 'warning', 'dup.json']]);
  assert.match(lost[0]!.message, /could not be checked/);
});

test('a thread that dies without a word (out of memory) is given up after its heartbeat stops, not after minutes', () => {
  // one object with 300,000 member names: looking for repeated names takes a set of them, far
  // more than the heap limits given to the thread
  const data: Record<string, string> = {};
  for (let i = 0; i < 300_000; i++) data[`key-number-${i}`] = 'v';
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wide', namespace: 'x' }, data }] });
  const worker = JsonWorker.start(Buffer.from(text, 'utf8'), { stallMs: 1500, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
  const parsed = parseManifestText('wide.json', text, { jsonTables: worker });
  assert.equal(parsed.objects.length, 1);
  const started = Date.now();
  const dup = worker.duplicates();
  const waited = Date.now() - started;
  assert.equal(dup, undefined, 'the dead thread reported no repeated names');
  assert.ok(waited < 20_000, `waited ${waited} ms for a dead thread`);
  // and the locator says the check was not done, instead of staying silent
  const late = (parsed.jsonIndex as WorkerJsonIndex).lateProblems('wide.json');
  assert.equal(late.length, 1);
  assert.match(late[0]!.message, /could not be checked/);
});

test('a scan lets the thread go once its findings are placed: the same findings, lines and problems, the text freed', async () => {
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const { scanInventory } = await import('../../src/scan.js');
  const items = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] } },
    // a field of the wrong type: the network analysis leaves the policy out, named at the field's line
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'shop' }, spec: { podSelector: {}, ingress: { from: [] } } },
  ];
  const listText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2).replace('"namespace": "shop"\n', '"namespace": "shop", "namespace": "shop"\n');
  const run = (releasePositions: boolean) => {
    const worker = JsonWorker.start(Buffer.from(listText, 'utf8'));
    const parsed = parseManifestText('list.json', listText, { jsonTables: worker });
    const locator = new TextLocator();
    locator.addJson('list.json', parsed.jsonIndex!);
    const inv = new Inventory(parsed.objects, parsed.problems, locator);
    const result = scanInventory(inv, ['list.json'], { attackPaths: true, releasePositions });
    const stopped = (worker as unknown as { stopped: boolean }).stopped;
    worker.stop();
    return { result, stopped };
  };
  const kept = run(false);
  const freed = run(true);
  assert.equal(kept.stopped, false);
  assert.equal(freed.stopped, true, 'the thread (and the text it holds) is gone after the controls');
  assert.equal(JSON.stringify(freed.result.findings), JSON.stringify(kept.result.findings));
  assert.deepEqual(freed.result.problems, kept.result.problems);
  const privileged = freed.result.findings.find((f) => f.pointer.endsWith('/securityContext/privileged'));
  assert.ok(privileged?.location && privileged.location.line > 10, 'placed at the field, not the object');
  const wrong = freed.result.problems.filter((p) => p.code === 'wrong-type');
  assert.equal(wrong.length, 1, JSON.stringify(freed.result.problems));
  assert.ok(freed.result.problems.some((p) => p.code === 'duplicate-key'), 'repeated names still reported');
});
