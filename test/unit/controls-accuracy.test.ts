/**
 * Control accuracy on a repository-shaped input (test/corpus/ctl8/accuracy/), every control and
 * the deduplication on, as `kordon scan` runs them: port-forward said once per binding (KOR-0212
 * under KOR-0210), a globalDefault PriorityClass ranks pods that name none (KOR-0724), Recreate
 * is right for a single writer of a ReadWriteOnce claim (KOR-0745).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanPaths } from '../../src/scan.js';
import type { Finding } from '../../src/engine/types.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus/ctl8/accuracy');
let findings: Finding[] | undefined;
const all = async (): Promise<Finding[]> => (findings ??= (await scanPaths([DIR])).findings);
const of = async (id: string): Promise<Finding[]> => (await all()).filter((f) => f.controlId === id);

test('KOR-0212: a binding that also gives exec is one finding naming the port-forward; a tunnel-only role stays', async () => {
  const pf = await of('KOR-0212');
  assert.deepEqual(pf.map((f) => `${f.object?.name} ${f.severity}`), ['analysts-db-tunnel low']);
  // edit and admin also create workloads: their one finding is KOR-0208, naming exec and the port-forward
  assert.deepEqual(await of('KOR-0210'), []);
  const grant = (await of('KOR-0208')).filter((f) => ['ci-deployer-edit', 'shop-developers-edit', 'shop-leads-admin'].includes(f.object?.name ?? ''));
  assert.deepEqual(grant.map((f) => f.object?.name).sort(), ['ci-deployer-edit', 'shop-developers-edit', 'shop-leads-admin']);
  for (const f of grant) for (const id of ['KOR-0210', 'KOR-0212']) assert.ok((f.related ?? []).some((r) => r.controlId === id), `${f.object?.name}: names ${id}`);
  // without deduplication each edit/admin binding says it again: the supersession, not the control, removed them
  const raw = (await scanPaths([DIR], { dedupe: false })).findings.filter((f) => f.controlId === 'KOR-0212');
  assert.equal(raw.length, 4);
});

test('KOR-0724: with a globalDefault PriorityClass in the inputs, workloads naming no class are ranked', async () => {
  assert.deepEqual(await of('KOR-0724'), []);
});

test('KOR-0745: Recreate for one pod writing a ReadWriteOnce claim is right; for three stateless replicas an outage', async () => {
  assert.deepEqual((await of('KOR-0745')).map((f) => f.object?.name), ['checkout']);
});
