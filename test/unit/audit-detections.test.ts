/**
 * Every audit detection against its fixtures (test/fixtures/audit/<id>/{positive,negative}/*.jsonl):
 * each positive file raises the detection, no negative file does, and no output carries a value
 * from a Secret, a ConfigMap or an exec command line.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_DETECTIONS } from '../../src/audit/catalog.js';
import { defaultDetectionConfig } from '../../src/audit/detections.js';
import { auditPaths } from '../../src/audit/run.js';
import { AUDIT_FORMATS, formatAudit } from '../../src/audit/report.js';

const ROOT = path.join(import.meta.dirname, '..', 'fixtures', 'audit');
const config = { ...defaultDetectionConfig(), allowedNodes: new Set(['node-a']), allowedImages: new Set(['registry.example/shop/app']) };
/** Values written into the fixtures that must never be printed. */
const SECRET_VALUES = ['NEVER-PRINT', 's3cr3t-value', 'topsecretvalue', 'aHVudGVyMi1ORVZFUi1QUklOVA', 'etc%2Fshadow', '/etc/shadow'];

const files = (id: string, kind: string): string[] => {
  const dir = path.join(ROOT, id, kind);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f)) : [];
};

describe('audit detections: fixtures', () => {
  it('every detection judged per event or sequence has a positive and a negative fixture', () => {
    for (const d of ALL_DETECTIONS) {
      if (d.kind === 'usage') continue; // KOR-0980: test/unit/audit-usage.test.ts
      assert.ok(files(d.id, 'positive').length > 0, `${d.id} has no positive fixture`);
      assert.ok(files(d.id, 'negative').length > 0, `${d.id} has no negative fixture`);
    }
  });
  it('every fixture folder belongs to a detection', () => {
    for (const id of readdirSync(ROOT)) assert.ok(ALL_DETECTIONS.some((d) => d.id === id), `${id} is no detection`);
  });
  for (const d of ALL_DETECTIONS) {
    for (const f of files(d.id, 'positive')) {
      it(`${d.id} ${d.name}: ${path.basename(f)} raises it`, async () => {
        const r = await auditPaths([f], { config });
        assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
        const hit = r.detections.filter((x) => x.id === d.id);
        assert.ok(hit.length > 0, `${d.id} not raised; got ${r.detections.map((x) => x.id).join(', ')}`);
        for (const h of hit) {
          assert.deepEqual(h.falco, d.falco);
          assert.ok(h.mitre.length > 0);
          assert.ok(h.auditIDs.length > 0);
        }
        for (const format of AUDIT_FORMATS) {
          const text = formatAudit(r, format, false);
          for (const v of SECRET_VALUES) assert.ok(!text.includes(v), `${format} output of ${f} carries "${v}"`);
        }
      });
    }
    for (const f of files(d.id, 'negative')) {
      it(`${d.id} ${d.name}: ${path.basename(f)} does not raise it`, async () => {
        const r = await auditPaths([f], { config });
        assert.equal(r.problems.length, 0);
        assert.deepEqual(r.detections.filter((x) => x.id === d.id).map((x) => x.id), []);
      });
    }
  }
  it('the KOR-0925 and KOR-0926 fixtures raise nothing without allowed lists (off by default, as in Falco)', async () => {
    const r = await auditPaths([...files('KOR-0925', 'positive'), ...files('KOR-0926', 'positive')]);
    assert.deepEqual(r.detections.filter((x) => x.id === 'KOR-0925' || x.id === 'KOR-0926'), []);
  });
  it('graded by what is normal: anonymous /version is low, other anonymous requests high; kubelets\' secret reads are info', async () => {
    const sev = async (id: string, f: string): Promise<string | undefined> => (await auditPaths([path.join(ROOT, id, 'positive', f)], { config })).detections.find((d) => d.id === id)?.severity;
    assert.equal(await sev('KOR-0906', 'version-public-info.jsonl'), 'low');
    assert.equal(await sev('KOR-0906', 'version.jsonl'), 'high');
    assert.equal(await sev('KOR-0918', 'kubelet-read.jsonl'), 'info');
    assert.equal(await sev('KOR-0918', 'get-as-sa.jsonl'), 'medium');
  });
  it('falco names are unique across detections and cover the k8saudit default rules', () => {
    const names = ALL_DETECTIONS.flatMap((d) => d.falco);
    assert.equal(new Set(names).size, names.length);
    const expected = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'corpus', 'audit', 'falco-k8saudit-rules.json'), 'utf8')) as { rules: Array<{ name: string; covered: string }> };
    for (const r of expected.rules) {
      if (r.covered === 'yes') assert.ok(names.includes(r.name), `Falco rule "${r.name}" is not mapped`);
    }
  });
});
