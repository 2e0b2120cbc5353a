import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanPaths } from '../../src/scan.js';
import { pssControls } from '../../src/controls/pss.js';
import { PSS_CHECKS } from '../../src/frameworks/pss/catalogue.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { runControls } from '../../src/engine/run.js';
import type { K8sObject } from '../../src/inventory/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/controls');

test('one control per upstream check, ids KOR-0001.. with baseline checks first', () => {
  assert.equal(pssControls.length, PSS_CHECKS.length);
  const refs = pssControls.map((c) => c.frameworks.pss?.[0]);
  assert.deepEqual(new Set(refs), new Set(PSS_CHECKS.map((c) => `${c.level}:${c.id}`)));
  const ids = pssControls.map((c) => c.id);
  assert.deepEqual(ids, ids.map((_, i) => `KOR-${String(i + 1).padStart(4, '0')}`));
  const firstRestricted = refs.findIndex((r) => r!.startsWith('restricted:'));
  assert.ok(refs.slice(firstRestricted).every((r) => r!.startsWith('restricted:')));
  for (const c of pssControls) {
    assert.match(c.name, /^pss-[a-z0-9-]+$/);
    assert.ok(c.remediation.endsWith('.'), c.id);
    assert.equal(c.layer, 'container');
    assert.equal(c.guard, 'admission');
  }
});

for (const control of pssControls) {
  test(`${control.id} ${control.name}: fixtures`, async () => {
    const dir = path.join(fixtures, control.id);
    const pass = readdirSync(path.join(dir, 'pass')).filter((f) => f.endsWith('.yaml'));
    const fail = readdirSync(path.join(dir, 'fail')).filter((f) => f.endsWith('.yaml'));
    assert.ok(pass.length > 0 && fail.length > 0);
    for (const f of pass) {
      const r = await scanPaths([path.join(dir, 'pass', f)], { controls: [control] });
      assert.equal(r.problems.length, 0, f);
      assert.deepEqual(r.findings.map((x) => x.message), [], `pass/${f}`);
    }
    for (const f of fail) {
      const file = path.join(dir, 'fail', f);
      const r = await scanPaths([file], { controls: [control] });
      assert.equal(r.problems.length, 0, f);
      assert.ok(r.findings.length > 0, `fail/${f} raised nothing`);
      const expect = /^# expect:((?: \d+)+)/.exec(readFileSync(file, 'utf8'));
      if (expect) {
        const lines = [...new Set(r.findings.map((x) => x.location!.line))].sort((a, b) => a - b);
        assert.deepEqual(lines, expect[1]!.trim().split(/\s+/).map(Number), `fail/${f}`);
      }
    }
  });
}

function podWith(spec: Record<string, unknown>, annotations?: Record<string, string>): K8sObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { metadata: { annotations }, spec } } };
}

test('controls report absolute pointers and fixes, annotations under the template metadata', () => {
  const obj = podWith(
    { containers: [{ name: 'a', image: 'i', securityContext: { privileged: true } }] },
    { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' },
  );
  const inv = new Inventory([{ object: obj, origin: { source: 'x.yaml', documentIndex: 0, itemPointer: '', line: 1, column: 1 } }]);
  const byName = (n: string) => pssControls.find((c) => c.name === n)!;
  const priv = runControls(inv, [byName('pss-privileged')]).findings;
  assert.deepEqual(priv.map((f) => [f.pointer, f.fix]), [
    ['/spec/template/spec/containers/0/securityContext/privileged', [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }]],
  ]);
  const aa = runControls(inv, [byName('pss-apparmor-profile')]).findings;
  assert.deepEqual(aa.map((f) => [f.pointer, f.fix]), [
    [
      '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1a',
      [{ op: 'replace', path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1a', value: 'runtime/default' }],
    ],
  ]);
  const seccomp = runControls(inv, [byName('pss-seccomp-profile-restricted')]).findings;
  assert.deepEqual(seccomp.map((f) => [f.pointer, f.fix]), [['/spec/template/spec/securityContext/seccompProfile', [{ op: 'add', path: '/spec/template/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }]]]);
});
