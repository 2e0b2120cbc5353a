/**
 * `kordon plan --runtime/--audit`: harden's changes as plan actions (src/plan/harden-actions.ts)
 * on the harden shop fixture (runtime observations) and test/corpus/harden7/rbac (audit log).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOP = path.resolve(HERE, '../fixtures/harden/shop');
const RBAC = path.resolve(HERE, '../corpus/harden7/rbac');

interface Action {
  rank: number;
  controlId: string;
  title: string;
  risk: number;
  riskLevel: string;
  effort: string;
  quadrant: string;
  findings: number;
  reason: string;
  examples: Array<{ object: string }>;
  harden?: { workload: { kind: string; namespace: string; name: string }; changes: string[]; pathsClosed?: number };
}
interface PlanJson {
  summary: { actions: number; findings: number };
  phases: Array<{ quadrant: string; actions: Action[] }>;
  problems?: Array<{ source: string; line?: number; code?: string }>;
}
const actions = (p: PlanJson): Action[] => p.phases.flatMap((x) => x.actions);

describe('kordon plan with harden actions', () => {
  it('--runtime: one action per hardened workload, ranked by the attack paths it closes, findings kept with their controls', async () => {
    const without = JSON.parse((await runCli(['plan', path.join(SHOP, 'manifests'), '-f', 'json', '-q', '--no-config'])).out) as PlanJson;
    const r = await runCli(['plan', path.join(SHOP, 'manifests'), '--runtime', path.join(SHOP, 'runtime'), '-f', 'json', '-q', '--no-config']);
    assert.equal(r.code, 3, r.err); // the fixture's bad lines: said, and the rest planned
    const p = JSON.parse(r.out) as PlanJson;
    assert.ok(p.problems!.some((x) => x.source.endsWith('tetragon.jsonl') && x.line === 7));
    assert.ok(actions(without).every((a) => !a.harden));
    const h = actions(p).filter((a) => a.harden);
    assert.deepEqual(h.map((a) => a.harden!.workload.name).sort(), ['api', 'db', 'report', 'web']);
    // the control actions stay, and the findings are not counted twice
    assert.equal(p.summary.findings, without.summary.findings);
    assert.equal(p.summary.actions, without.summary.actions + 4);
    for (const a of h) {
      assert.equal(a.controlId, 'harden');
      assert.equal(a.findings, 0);
      assert.ok(a.harden!.changes.some((c) => /seccomp profile/.test(c)));
      // what it answers: seccomp, capabilities, network policy findings of the workload, never its probes or limits
      assert.match(a.reason, /KOR-0017/);
      assert.doesNotMatch(a.reason, /KOR-0119|KOR-0102/);
    }
    const web = h.find((a) => a.harden!.workload.name === 'web')!;
    const api = h.find((a) => a.harden!.workload.name === 'api')!;
    assert.equal(web.harden!.pathsClosed, 1);
    assert.equal(web.riskLevel, 'high');
    assert.equal(web.quadrant, 'quick-win');
    assert.equal(api.harden!.pathsClosed, 0);
    assert.ok(web.rank < api.rank);
  });

  it('--runtime with --vulns: the files are read by both readers, and a broken line is said once', async () => {
    const trivy = path.resolve(HERE, '../corpus/vulns/hundred/trivy.json');
    const r = await runCli(['plan', path.join(SHOP, 'manifests'), '--runtime', path.join(SHOP, 'runtime'), '--vulns', trivy, '-f', 'json', '-q', '--no-config']);
    const p = JSON.parse(r.out) as PlanJson & { problems: Array<{ source: string; line?: number; code?: string }> };
    assert.ok(actions(p).some((a) => a.harden), 'harden actions');
    // Hubble and Inspektor Gadget lines are observations, not broken vulnerability evidence
    assert.ok(!p.problems.some((x) => /hubble\.jsonl|gadget-db-capabilities\.jsonl/.test(x.source) && x.code === 'yaml-syntax'), JSON.stringify(p.problems));
    assert.equal(p.problems.filter((x) => x.source.endsWith('tetragon.jsonl') && x.line === 7).length, 1);
  });

  it('--audit: one action per service account; the one deleting a cluster-admin binding on an attack path first', async () => {
    const r = await runCli(['plan', path.join(RBAC, 'manifests.yaml'), '--audit', path.join(RBAC, 'audit.log'), '-f', 'json', '-q', '--no-config']);
    assert.equal(r.code, 3); // the cut line
    const p = JSON.parse(r.out) as PlanJson;
    const h = actions(p).filter((a) => a.controlId === 'harden-rbac');
    assert.deepEqual(h.map((a) => a.harden!.workload.name), ['web', 'reporter', 'worker']);
    const [web, , worker] = h as [Action, Action, Action];
    assert.equal(web.harden!.pathsClosed, 1);
    assert.equal(web.quadrant, 'quick-win');
    assert.match(web.reason, /KOR-0200/); // the cluster-admin binding it deletes
    // worker leaves a binding its group keeps: its findings stay with the binding, not with this action
    assert.match(worker.reason, /leaves 1 binding\(s\) others keep/);
    assert.doesNotMatch(worker.reason, /KOR-0210/);
    // the same input, the same bytes
    const again = await runCli(['plan', path.join(RBAC, 'manifests.yaml'), '--audit', path.join(RBAC, 'audit.log'), '-f', 'json', '-q', '--no-config']);
    assert.equal(again.out, r.out);
  });

  it('pretty and markdown name the workload and the paths closed', async () => {
    const r = await runCli(['plan', path.join(RBAC, 'manifests.yaml'), '--audit', path.join(RBAC, 'audit.log'), '-q', '--no-config']);
    assert.match(r.out, /harden-rbac Least-privilege RBAC for service account shop\/web .*\n\s+ServiceAccount shop\/web, from observed behaviour; closes 1 attack path\(s\)/);
    const md = await runCli(['plan', path.join(RBAC, 'manifests.yaml'), '--audit', path.join(RBAC, 'audit.log'), '-f', 'markdown', '-q', '--no-config']);
    assert.match(md.out, /Least-privilege RBAC for service account shop\/web/);
  });
});
