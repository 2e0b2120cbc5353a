/** The peer mapping names only controls that exist, gives every check a control or a reason, and lists each check once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allControls } from '../../src/controls/index.js';
import { PEERS } from '../../src/controls/peer-mapping.js';

test('every kordon id of the peer mapping is a control of the catalogue', () => {
  const ids = new Set(allControls.map((c) => c.id));
  for (const p of PEERS) for (const c of p.checks) for (const id of c.kordon ?? []) assert.ok(ids.has(id), `${p.name} ${c.id}: ${id} is not a control`);
});

test('every peer check has controls or a reason, never both, and appears once', () => {
  for (const p of PEERS) {
    const seen = new Set<string>();
    for (const c of p.checks) {
      assert.ok(!seen.has(c.id), `${p.name} ${c.id} is listed twice`);
      seen.add(c.id);
      const has = (c.kordon?.length ?? 0) > 0 || c.node !== undefined;
      assert.ok(has !== (c.none !== undefined), `${p.name} ${c.id}: give kordon ids (or a \`kordon node\` item) or a reason`);
      assert.ok(!(c.node !== undefined && (c.kordon?.length ?? 0) > 0), `${p.name} ${c.id}: a control or a \`kordon node\` item, not both`);
      if (c.none) assert.match(c.none, /^not (applicable|covered): \S/, `${p.name} ${c.id}: a reason starts with "not applicable:" or "not covered:"`);
    }
  }
});

test('each peer maps most of its checks (those that apply to what kordon reads)', () => {
  for (const p of PEERS) {
    const mapped = p.checks.filter((c) => c.kordon?.length || c.node).length;
    // a check about something kordon does not read at all (a Gatekeeper constraint's parameters, a
    // flag removed from Kubernetes) cannot be mapped; a check kordon could judge but does not ("not
    // covered") counts against the peer's share
    const applicable = p.checks.filter((c) => !c.none?.startsWith('not applicable:')).length;
    assert.ok(mapped / applicable >= 0.9, `${p.name}: only ${mapped} of ${applicable} applicable checks mapped`);
  }
});

test('a `kordon node` item named by the mapping is an item kordon node answers', async () => {
  const { CIS_ITEMS } = await import('../../src/nodes/cis.js');
  const items = new Set(CIS_ITEMS.map((i: { id: string }) => i.id));
  for (const p of PEERS) for (const c of p.checks) if (c.node) assert.ok(items.has(c.node), `${p.name} ${c.id}: CIS ${c.node} is not an item of kordon node`);
});

test('Kubescape: every published control id is listed, in order', () => {
  const ks = PEERS.find((p) => p.name === 'Kubescape')!;
  const ids = ks.checks.map((c) => c.id);
  assert.ok(ids.length >= 250, `only ${ids.length} Kubescape ids`);
  assert.deepEqual([...ids].sort(), ids);
  for (const id of ids) assert.match(id, /^C-\d{4}$/);
});

test('framework coverage: every control named exists; every CIS 5.x item is judged; NSA items have controls or a reason', async () => {
  const { CIS_SECTION_5, NSA_CISA, cisControls } = await import('../../src/controls/framework-coverage.js');
  const ids = new Set(allControls.map((c) => c.id));
  const uncovered = CIS_SECTION_5.filter((i) => cisControls(allControls, i.id).length === 0).map((i) => i.id);
  assert.deepEqual(uncovered, []);
  // every section 5 reference in the metadata is an item of the list (no typo such as 5.2.14)
  const known = new Set(CIS_SECTION_5.map((i) => i.id));
  for (const c of allControls) for (const r of c.frameworks.cis ?? []) if (r.startsWith('5.')) assert.ok(known.has(r), `${c.id}: CIS ${r} is not an item of section 5`);
  const { nsaControls } = await import('../../src/controls/framework-coverage.js');
  const nodeItems = new Set(['node-logs-forwarded', 'docker-tcp-without-tls', 'etcd-data-encryption']);
  for (const i of NSA_CISA) {
    const judged = nsaControls(allControls, i).length + (i.node?.length ?? 0);
    assert.ok(judged > 0 !== (i.none !== undefined), `${i.id}: give controls or a reason`);
    for (const id of i.kordon ?? []) assert.ok(ids.has(id), `${i.id}: ${id} is not a control`);
    for (const id of i.node ?? []) assert.ok(nodeItems.has(id), `${i.id}: ${id} is not a kordon node item`);
    if (i.none) assert.match(i.none, /^not (applicable|covered)/);
    // the nsa preset (frameworks.nsa) selects every control the coverage names
    for (const id of nsaControls(allControls, i)) assert.ok((allControls.find((c) => c.id === id)!.frameworks.nsa ?? []).length > 0, `${i.id}: ${id} has no frameworks.nsa`);
  }
  // the guide's five logging and detection items once "not applicable" are judged now
  for (const slug of ['syslog', 'siem-platforms', 'service-meshes', 'fault-tolerance', 'threat-detection-tools']) {
    const item = NSA_CISA.find((i) => i.slug === slug)!;
    assert.ok(item && item.none === undefined && nsaControls(allControls, item).length + (item.node?.length ?? 0) > 0, slug);
  }
});
