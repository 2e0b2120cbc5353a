/** `kordon paths`: formats, --from, --what-if, --graph-json, exit codes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { GRAPH_FIXTURES } from './graph-support.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: {} });
  return { code, out, err };
}

const REALISTIC = path.join(GRAPH_FIXTURES, 'realistic');

describe('kordon paths', () => {
  it('JSON: { paths: [{ from, to, steps: [{ edge, source, target, evidence }] }], total, shown }', async () => {
    const r = await run(['paths', REALISTIC, '-f', 'json', '--max', '2']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as { entryPoints: { text: string }; paths: Array<{ from: string; to: string; steps: Array<{ edge: string; source: string; target: string; evidence: unknown[] }> }>; total: number; shown: number };
    assert.equal(j.total, 2);
    assert.equal(j.entryPoints.text, 'entry points tried: 1 Ingress (reaching 1 workload)');
    assert.equal(j.shown, 2);
    assert.equal(j.paths[0]!.from, 'the internet');
    assert.equal(j.paths[1]!.to, 'cluster-admin (full control of the cluster)');
    for (const s of j.paths[1]!.steps) assert.deepEqual(Object.keys(s).filter((k) => ['edge', 'source', 'target', 'evidence'].includes(k)).sort(), ['edge', 'evidence', 'source', 'target']);
    // Same input, same bytes.
    assert.equal((await run(['paths', REALISTIC, '-f', 'json', '--max', '2'])).out, r.out);
  });

  it('pretty: numbered paths with their evidence and the count of the rest', async () => {
    const r = await run(['paths', REALISTIC, '--max', '1']);
    assert.match(r.out, /^2 attack path\(s\), cheapest first \(showing 1; 1 more, raise --max\)\nentry points tried: 1 Ingress \(reaching 1 workload\)\n/);
    assert.match(r.out, /create-privileged-pod/);
    assert.match(r.out, /↳ RoleBinding\/web\/storefront-edit \/subjects/);
  });

  it('--from sa:… and --fail', async () => {
    const r = await run(['paths', REALISTIC, '--from', 'sa:web/ci-deployer', '-f', 'json', '--fail']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).paths[0].steps[0].edge, 'is-cluster-admin');
    const none = await run(['paths', REALISTIC, '--from', 'sa:web/nope']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no such workload/);
  });

  it('--what-if reports removed and added paths', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-whatif-'));
    const file = path.join(dir, 'fix.yaml');
    writeFileSync(file, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: storefront-edit\n  namespace: web\n  annotations:\n    kordon.dev/what-if: delete\n');
    const r = await run(['paths', REALISTIC, '--what-if', file, '-f', 'json']);
    const j = JSON.parse(r.out);
    assert.equal(j.before, 2);
    assert.equal(j.after, 0);
    assert.equal(j.removed.length, 2);
    const pretty = await run(['paths', REALISTIC, '--what-if', file]);
    assert.match(pretty.out, /attack paths: 2 before, 0 after \(2 removed, 0 added\)/);
  });

  it('--graph-json writes the whole graph', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-graph-'));
    const file = path.join(dir, 'graph.json');
    await run(['paths', REALISTIC, '--graph-json', file, '--max', '0']);
    const g = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(g.nodes.length > 20 && g.edges.length > 20);
    assert.ok(g.edges.some((e: { kind: string; evidence: unknown[] }) => e.kind === 'is-cluster-admin' && e.evidence.length === 2));
  });

  it('rejects unknown formats and clouds', async () => {
    assert.equal((await run(['paths', REALISTIC, '-f', 'sarif'])).code, 2);
    assert.equal((await run(['paths', REALISTIC, '--cloud', 'mars'])).code, 2);
  });
});
