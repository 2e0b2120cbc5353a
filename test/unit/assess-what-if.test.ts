/**
 * The assessment's what-if (src/assess/paths-closed.ts) shares the base inventory's RBAC index
 * with a changed copy only when no Role or binding changed: the paths it finds are those of a
 * copy analysed from scratch, and a changed binding is seen (test/corpus/ctl8/what-if/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInventory } from '../../src/scan.js';
import { PathSimulator } from '../../src/assess/paths-closed.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { buildSecurityGraph } from '../../src/graph/build.js';
import { computePaths, describePath } from '../../src/graph/paths.js';
import { applyChanges, pathSignature } from '../../src/graph/what-if.js';
import type { K8sObject, Origin } from '../../src/inventory/types.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus/ctl8/what-if');

type Entry = { object: K8sObject; origin: Origin };

test('what-if: shared RBAC index for other changes, its own for a changed binding; the same paths as from scratch', async () => {
  const { inventory } = await loadInventory([DIR]);
  const sim = new PathSimulator(inventory);
  assert.deepEqual(sim.base.map((p) => p.to).sort(), ['all secrets in every namespace', 'any node (pods without placement constraints)']);
  const change = (kind: string, edit: (o: K8sObject) => void): Entry[] => {
    const item = inventory.objects.find((o) => o.object.kind === kind)!;
    const object = structuredClone(item.object);
    edit(object);
    return [{ object, origin: item.origin }];
  };
  const fromScratch = (changes: Entry[]): string[] => {
    const applied = applyChanges(inventory.objects.map((o) => ({ object: o.object, origin: o.origin })), changes);
    const bg = buildSecurityGraph(new Inventory(applied.objects, []));
    const left = new Set(computePaths(bg).map((p) => pathSignature(describePath(bg, p))));
    return sim.base.filter((p) => !left.has(sim.signature(p))).map((p) => p.to);
  };
  // a pod change first: the copy shares (and fills) the base's RBAC index
  const unprivileged = change('Deployment', (o) => {
    ((o as unknown as { spec: { template: { spec: { containers: Array<{ securityContext?: unknown }> } } } }).spec.template.spec.containers[0]!).securityContext = { privileged: false, allowPrivilegeEscalation: false };
  });
  assert.deepEqual(sim.closedBy(unprivileged).map((p) => p.to), ['any node (pods without placement constraints)']);
  assert.deepEqual(sim.closedBy(unprivileged).map((p) => p.to), fromScratch(unprivileged));
  // then a binding change: the shared index must not hide it
  const unbound = change('ClusterRoleBinding', (o) => {
    (o as { subjects?: unknown[] }).subjects = [];
  });
  assert.deepEqual(sim.closedBy(unbound).map((p) => p.to), ['all secrets in every namespace']);
  assert.deepEqual(sim.closedBy(unbound).map((p) => p.to), fromScratch(unbound));
  assert.deepEqual(sim.closedBy([]).map((p) => p.to), []);
});
