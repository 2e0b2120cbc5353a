import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../src/sources/manifests/parse.js';

test('a control that throws becomes a problem naming it and the object; the scan goes on', async () => {
  const { scanInventory } = await import('../../src/scan.js');
  const { Inventory } = await import('../../src/inventory/inventory.js');
  const { defineControl } = await import('../../src/engine/types.js');
  const boom = defineControl({
    id: 'KOR-9999', name: 'boom', title: 't', description: 'd', layer: 'container', phases: ['develop'], severity: 'low', effort: 'low', frameworks: {},
    remediation: 'r.', messages: { m: 'm' }, targets: 'object', kinds: ['Pod'],
    check(obj, ctx) {
      if (obj.metadata.name === 'bad') throw new TypeError('nope');
      ctx.report('m', {}, '');
    },
  });
  const r = parseManifestText('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: good}\n');
  const res = scanInventory(new Inventory(r.objects, r.problems), ['x.yaml'], { controls: [boom] });
  assert.equal(res.findings.length, 1);
  assert.equal(res.findings[0]!.object?.name, 'good');
  assert.equal(res.problems.length, 1);
  assert.equal(res.problems[0]!.code, 'control-error');
  assert.match(res.problems[0]!.message, /control KOR-9999 \(boom\) failed on Pod default\/bad: TypeError/);
  assert.equal(res.problems[0]!.line, 1);
});
