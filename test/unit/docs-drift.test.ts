import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generateDocs, GENERATED_NOTE, renderControlsDoc, renderPreset, PRESETS } from '../../scripts/gen-docs.js';
import { allControls } from '../../src/controls/index.js';
import { defineControl, type Control } from '../../src/engine/types.js';
import { ROOT } from './report-fixture.js';

const HINT = 'the generated docs are out of date: run `npm run docs` and commit the result';

test('docs/controls.md and docs/presets/*.yaml match the control metadata', () => {
  for (const [rel, expected] of generateDocs(allControls)) {
    const file = path.join(ROOT, rel);
    assert.ok(existsSync(file), `${rel} is missing; ${HINT}`);
    const actual = readFileSync(file, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const line = a.findIndex((l, i) => l !== e[i]);
      assert.fail(`${rel} differs from the metadata at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  generated: ${e[line] ?? '(end of file)'}\n${HINT}`);
    }
  }
});

test('the generator is deterministic and independent of the order controls are registered in', () => {
  const forward = generateDocs(allControls);
  const reversed = generateDocs([...allControls].reverse());
  assert.deepEqual([...reversed], [...forward]);
});

const ctl = (id: string, frameworks: Control['frameworks'], extra: Partial<Control> = {}): Control =>
  ({
    ...defineControl({
      id,
      name: `test-${id.toLowerCase()}`,
      title: `Title of ${id}`,
      description: 'Reaches /proc/<pid>/root; `a <b>` stays code.',
      layer: 'container',
      phases: ['develop'],
      severity: 'medium',
      effort: 'low',
      frameworks,
      remediation: 'Fix | it.',
      messages: { m: 'Message {{name}}.' },
      targets: 'object',
      kinds: ['Pod'],
      check() {},
    }),
    ...extra,
  }) as Control;

test('presets select controls by framework; restricted includes baseline', () => {
  const controls = [
    ctl('KOR-0003', { pss: ['restricted:runAsNonRoot'] }),
    ctl('KOR-0001', { pss: ['baseline:privileged'], cis: ['5.2.2'] }),
    ctl('KOR-0002', { nsa: ['x'], mitre: ['T1611'] }),
  ];
  const ids = (name: string): string[] => parseYaml(renderPreset(PRESETS.find((p) => p.name === name)!, controls)).controls;
  assert.deepEqual(ids('pss-baseline'), ['KOR-0001']);
  assert.deepEqual(ids('pss-restricted'), ['KOR-0001', 'KOR-0003']);
  assert.deepEqual(ids('cis'), ['KOR-0001']);
  assert.deepEqual(ids('nsa'), ['KOR-0002']);
  assert.deepEqual(ids('mitre'), ['KOR-0002']);
  for (const p of PRESETS) {
    const text = renderPreset(p, controls);
    assert.ok(text.startsWith(`# ${GENERATED_NOTE}\n`), `${p.name} has the generated header`);
    const doc = parseYaml(text);
    assert.equal(doc.kind, 'Preset');
    assert.equal(doc.metadata.name, p.name);
  }
  assert.deepEqual(parseYaml(renderPreset(PRESETS[0]!, [])).controls, []);
});

test('the catalogue has a table row and a section per control, with CEL when present', () => {
  const controls = [
    ctl('KOR-0002', { nsa: ['x'] }, { cel: { expression: '!has(object.spec.x)', message: 'No x.' }, guard: 'admission' }),
    ctl('KOR-0001', {}),
  ];
  const md = renderControlsDoc(controls);
  assert.ok(md.startsWith(`<!-- ${GENERATED_NOTE} -->`));
  assert.match(md, /^2 controls \(0 cloud, 0 cluster, 2 container, 0 code\)/m);
  assert.ok(md.indexOf('| [KOR-0001](#kor-0001-test-kor-0001) |') < md.indexOf('| [KOR-0002](#kor-0002-test-kor-0002) |'));
  assert.ok(md.indexOf('## KOR-0001 test-kor-0001') < md.indexOf('## KOR-0002 test-kor-0002'));
  assert.match(md, /\| Frameworks \| none \|/);
  assert.match(md, /\| Guard \| admission \|/);
  assert.match(md, /\| Target \| objects of kind `Pod` \|/);
  assert.match(md, /```cel\n!has\(object\.spec\.x\)\n```/);
  assert.match(md, /\*\*Remediation\.\*\* Fix \| it\./);
  assert.ok(md.includes('/proc/&lt;pid&gt;/root; `a <b>` stays code.'), 'HTML-like text is escaped outside code spans');
  assert.match(md, /- `m`: Message \{\{name\}\}\./);
});
