/**
 * A scan shared by the report tests: findings (with and without fixes, one about the whole
 * inventory), suppressions by annotation and by exceptions file, an expired and an unused
 * exception, and an input problem. It uses its own controls (plus image-mutable-tag) so the
 * tests do not move when the catalogue grows.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { scanPaths } from '../../src/scan.js';
import { parseExceptionsFile } from '../../src/engine/exceptions-file.js';
import { defineControl, type Control } from '../../src/engine/types.js';
import type { ScanResult } from '../../src/engine/result.js';
import imageMutableTag from '../../src/controls/container/image-mutable-tag.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = 'test/fixtures/reports';

export const hostNetworkControl = defineControl({
  id: 'KOR-9001',
  name: 'test-host-network',
  title: 'Pod shares the node network',
  description: 'A test control: the pod uses the network namespace of the node.',
  layer: 'cluster',
  guard: 'admission',
  phases: ['develop', 'deploy'],
  severity: 'high',
  effort: 'medium',
  frameworks: { pss: ['baseline:host-namespaces'], mitre: ['T1611'] },
  remediation: 'Remove spec.hostNetwork or set it to false.',
  messages: { hostNetwork: 'Pod of {{kind}} "{{name}}" uses the host network.' },
  targets: 'podSpec',
  check({ podSpec, object }, ctx) {
    if (podSpec['hostNetwork'] === true) ctx.report('hostNetwork', { kind: object.kind, name: object.metadata.name ?? '' }, '/hostNetwork', { fix: [{ op: 'remove', path: '/hostNetwork' }] });
  },
});

export const noNetworkPolicyControl = defineControl({
  id: 'KOR-9002',
  name: 'test-no-network-policy',
  title: 'No NetworkPolicy at all',
  description: 'A test control about the inventory as a whole.',
  layer: 'cluster',
  phases: ['develop'],
  severity: 'low',
  effort: 'high',
  frameworks: { nsa: ['network-separation'] },
  remediation: 'Add NetworkPolicies.',
  messages: { none: 'No NetworkPolicy was found among {{count}} objects.' },
  targets: 'inventory',
  kinds: ['NetworkPolicy'],
  check(inv, ctx) {
    if (inv.byKind('NetworkPolicy').length === 0) ctx.report('none', { count: inv.objects.length }, '');
  },
});

export const reportControls: readonly Control[] = [imageMutableTag, hostNetworkControl, noNetworkPolicyControl];

export async function fixtureScan(): Promise<ScanResult> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const excFile = `${FIXTURES}/exceptions.yaml`;
    const parsed = parseExceptionsFile(excFile, readFileSync(excFile, 'utf8'));
    if (parsed.errors.length) throw new Error(parsed.errors.join('\n'));
    return await scanPaths([`${FIXTURES}/workloads.yaml`, `${FIXTURES}/broken.yaml`], {
      controls: reportControls,
      exceptions: parsed.rules.map((rule) => ({ rule, source: excFile })),
      now: new Date('2025-06-01T00:00:00Z'),
    });
  } finally {
    process.chdir(cwd);
  }
}
