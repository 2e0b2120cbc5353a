/**
 * KOR-0143 (deprecated-api-version) against the generated upstream data: every deprecated or
 * removed kind, judged at targets around its removal; `--kube-version` choosing the target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deprecatedApis, replacementAt } from '../../src/controls/code/deprecated-apis.js';
import control, { NEXT_RELEASES } from '../../src/controls/code/deprecated-api-version.js';
import { inventoryOf, scanInventory } from '../../src/scan.js';
import { setTargetKubernetesVersion } from '../../src/rbac/builtins.js';
import type { Finding } from '../../src/engine/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function judge(apiVersion: string, kind: string, target: string | undefined): Finding[] {
  const inv = inventoryOf([{ object: { apiVersion, kind, metadata: { name: 'x', namespace: 'ns' } }, origin: { source: 'mem.yaml', via: 'file' } as never }]);
  setTargetKubernetesVersion(inv, target);
  return scanInventory(inv, ['mem.yaml'], { controls: [control] }).findings;
}

test('the data: read from upstream modules up to the coming release, consistent lifecycles', () => {
  const d = deprecatedApis();
  assert.ok(d.sources.some((s) => s.startsWith('k8s.io/api ') && s.includes('v0.37.2') && s.includes('v0.38.0-beta.0')));
  assert.ok(d.byKey.size >= 100, `${d.byKey.size} kinds`);
  assert.equal(d.newestRelease, 37);
  for (const e of d.byKey.values()) {
    assert.match(e.apiVersion, /(alpha|beta)\d+$/, `${e.apiVersion} ${e.kind}: only prerelease versions`);
    if (e.deprecated !== undefined && e.removed !== undefined) assert.ok(e.deprecated < e.removed, `${e.apiVersion} ${e.kind}: deprecated ${e.deprecated} before removed ${e.removed}`);
    if (e.introduced !== undefined && e.deprecated !== undefined) assert.ok(e.introduced <= e.deprecated, `${e.apiVersion} ${e.kind}`);
  }
  // what an upgrade guide lists, straight from the lifecycle files
  assert.equal(d.byKey.get('extensions/v1beta1 Ingress')?.removed, 22);
  assert.equal(d.byKey.get('policy/v1beta1 PodSecurityPolicy')?.removed, 25);
  assert.equal(d.byKey.get('flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema')?.removed, 32);
  assert.equal(d.byKey.get('apiextensions.k8s.io/v1beta1 CustomResourceDefinition')?.replacement, 'apiextensions.k8s.io/v1');
  assert.equal(d.byKey.get('apiregistration.k8s.io/v1beta1 APIService')?.replacement, 'apiregistration.k8s.io/v1');
});

test('every deprecated or removed kind, at targets around its removal', () => {
  for (const e of deprecatedApis().byKey.values()) {
    const at = (minor: number): Finding[] => judge(e.apiVersion, e.kind, `v1.${minor}`);
    const label = `${e.apiVersion} ${e.kind}`;
    if (e.removed !== undefined) {
      for (const t of [e.removed, e.removed + 2]) {
        const f = at(t);
        assert.equal(f.length, 1, `${label} at 1.${t}`);
        assert.equal(f[0]!.severity, 'medium', `${label} at 1.${t}: removed`);
        assert.match(f[0]!.message, new RegExp(`no longer served since Kubernetes 1\\.${e.removed} \\(target 1\\.${t}\\)`));
        // the advice never names a version the target no longer serves
        const r = replacementAt(e, t);
        if (r) {
          const [v, k] = r.split(' ');
          const next = deprecatedApis().byKey.get(`${v} ${k ?? e.kind}`);
          assert.ok(!next || next.removed === undefined || next.removed > t, `${label}: replacement ${r} is removed at 1.${t}`);
          assert.ok(f[0]!.message.includes(`use ${r}.`), f[0]!.message);
        }
      }
      for (let steps = 1; steps <= NEXT_RELEASES; steps++) {
        const f = at(e.removed - steps);
        assert.equal(f.length, 1, `${label} ${steps} before its removal`);
        assert.equal(f[0]!.severity, 'low');
        assert.match(f[0]!.message, new RegExp(`no longer served from Kubernetes 1\\.${e.removed}, ${steps === 1 ? 'the next minor release' : `${steps} minor releases`} after the target`));
      }
      const before = e.removed - NEXT_RELEASES - 1;
      const far = at(before);
      if (e.deprecated !== undefined && e.deprecated <= before) assert.deepEqual(far.map((f) => f.severity), ['info'], `${label} at 1.${before}`);
      else assert.deepEqual(far, [], `${label} at 1.${before}: neither deprecated nor removed soon`);
    } else if (e.deprecated !== undefined) {
      assert.deepEqual(at(e.deprecated).map((f) => f.severity), ['info'], label);
      assert.match(at(e.deprecated)[0]!.message, /no removal planned yet/);
      assert.deepEqual(at(e.deprecated - 1), [], `${label} before its deprecation`);
    }
  }
});

test('no version named: the newest release of the data is the target; GA versions are never reported', () => {
  assert.match(judge('resource.k8s.io/v1beta1', 'ResourceClaim', undefined)[0]!.message, /no longer served from Kubernetes 1\.38, the next minor release after the target 1\.37/);
  assert.deepEqual(judge('apps/v1', 'Deployment', 'v1.20'), []);
  assert.deepEqual(judge('example.com/v1beta1', 'Backup', 'v1.37'), [], 'a custom resource is not Kubernetes\' to remove');
});

test('kordon scan --kube-version picks the target', async () => {
  const { runCli } = await import('../support/cli.js');
  const file = path.join(ROOT, 'test/fixtures/controls/KOR-0143/fail/next-three-releases.yaml');
  const run = async (v: string): Promise<string[]> => {
    const r = await runCli(['scan', file, '--controls', 'KOR-0143', '--kube-version', v, '-f', 'json']);
    return (JSON.parse(r.out) as { findings: Finding[] }).findings.map((f) => `${f.location?.line}:${f.severity}`).sort();
  };
  // DeviceClass v1beta1 removed 1.38, ResourceClaimTemplate v1beta2 1.39, MutatingAdmissionPolicy v1beta1 1.40
  assert.deepEqual(await run('v1.37'), ['13:low', '22:info', '2:low', '8:low']);
  assert.deepEqual(await run('v1.38'), ['13:low', '22:info', '2:medium', '8:low']);
  assert.deepEqual(await run('v1.35'), ['22:info', '2:low']);
  assert.deepEqual(await run('v1.34'), []);
  assert.deepEqual(await run('v1.40'), ['13:medium', '22:info', '2:medium', '8:medium']);
});
