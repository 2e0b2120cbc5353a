/**
 * `kordon harden`'s CiliumNetworkPolicy and SeccompProfile objects against the real API server
 * with the upstream CustomResourceDefinitions installed: Cilium's cilium.io/v2
 * CiliumNetworkPolicy CRD (github.com/cilium/cilium, pkg/k8s/apis/cilium.io/client/crds/v2) and
 * the Security Profiles Operator's SeccompProfile CRD (sigs.k8s.io/security-profiles-operator,
 * deploy/base-crds/crds), at the versions pinned in test/support/k8s/versions.env, fetched with
 * `go mod download`. Every generated object must pass a server-side dry-run create (the CRDs'
 * OpenAPI schemas and CEL rules decide), and the server must keep every rule.
 *
 * The CRDs are cluster-wide: this test starts a control plane of its own, so the shared one
 * (whose resource list other tests read) is not changed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiRequest, pinnedVersions, startControlPlane, type ControlPlane } from '../support/controlplane.js';
import { goModuleYaml } from '../support/go-module.js';
import { runCli } from '../support/cli.js';
import type { K8sObject } from '../../src/inventory/types.js';

const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/harden/shop');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-crds-'));
const NS = 'shop';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let cp: ControlPlane | undefined;

interface Out {
  workloads: Array<{ workload: { name: string }; ciliumNetworkPolicies: K8sObject[]; seccompProfiles: K8sObject[] }>;
}

async function installCrd(crd: K8sObject): Promise<void> {
  const r = await apiRequest(cp!, 'admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  assert.equal(r.status, 201, `${crd.metadata.name}: ${r.text.slice(0, 400)}`);
  for (let i = 0; i < 300; i++) {
    const g = await apiRequest(cp!, 'admin', 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
    const conds = (g.body?.status?.conditions ?? []) as Array<{ type: string; status: string }>;
    if (conds.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await sleep(100);
  }
  assert.fail(`${crd.metadata.name} never became Established`);
}

/** Paths of a served version of the CRD's group, once discovery has it. */
async function waitServed(groupVersion: string, plural: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await apiRequest(cp!, 'admin', 'GET', `/apis/${groupVersion}`);
    if (r.status === 200 && (r.body?.resources ?? []).some((x: { name: string }) => x.name === plural)) return;
    await sleep(100);
  }
  assert.fail(`${groupVersion}/${plural} is not served`);
}

describe('kordon harden: CiliumNetworkPolicy and SeccompProfile accepted by the upstream CRDs', { timeout: 20 * 60_000 }, () => {
  let out: Out;
  const versions = pinnedVersions();
  before(async () => {
    const cilium = versions.CILIUM_VERSION!;
    const spo = versions.SECURITY_PROFILES_OPERATOR_VERSION!;
    assert.ok(cilium && spo, 'versions pinned in test/support/k8s/versions.env');
    // fetched first (a cold fetch of the Cilium module takes minutes), then the server
    const cnpCrd = goModuleYaml('github.com/cilium/cilium', cilium, 'pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml');
    const spCrd = goModuleYaml('sigs.k8s.io/security-profiles-operator', spo, 'deploy/base-crds/crds/seccompprofile.yaml');
    assert.deepEqual(cnpCrd.map((c) => c.metadata.name), ['ciliumnetworkpolicies.cilium.io']);
    assert.deepEqual(spCrd.map((c) => c.metadata.name), ['seccompprofiles.security-profiles-operator.x-k8s.io']);
    cp = await startControlPlane();
    for (const crd of [...cnpCrd, ...spCrd]) await installCrd(crd);
    await waitServed('cilium.io/v2', 'ciliumnetworkpolicies');
    await waitServed('security-profiles-operator.x-k8s.io/v1beta1', 'seccompprofiles');
    const ns = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    assert.equal(ns.status, 201, ns.text);
    const r = await runCli(['harden', path.join(SHOP, 'manifests'), '--runtime', path.join(SHOP, 'runtime'), '-f', 'json', '--seccomp', 'spo', '--out', path.join(tmp, 'out'), '-q', '--no-config']);
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.err}`); // 3: the fixture's deliberately bad lines
    out = JSON.parse(r.out) as Out;
  });
  after(async () => {
    await cp?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('every CiliumNetworkPolicy passes a server-side dry-run create with the cilium.io/v2 CRD, rules kept', async () => {
    const cnps = out.workloads.flatMap((w) => w.ciliumNetworkPolicies);
    assert.equal(cnps.length, 4);
    for (const p of cnps) {
      const r = await apiRequest(cp!, 'admin', 'POST', `/apis/cilium.io/v2/namespaces/${p.metadata.namespace}/ciliumnetworkpolicies?dryRun=All&fieldValidation=Strict`, p);
      assert.equal(r.status, 201, `${p.metadata.name}: ${r.text.slice(0, 600)}`);
      const spec = p.spec as { ingress?: unknown[]; egress?: unknown[] };
      assert.deepEqual(r.body.spec.ingress ?? [], spec.ingress ?? [], `${p.metadata.name}: ingress kept`);
      assert.deepEqual(r.body.spec.egress ?? [], spec.egress ?? [], `${p.metadata.name}: egress kept`);
    }
  });

  it('a CiliumNetworkPolicy the CRD rejects is rejected (the check can fail)', async () => {
    const p = structuredClone(out.workloads.flatMap((w) => w.ciliumNetworkPolicies)[0]!) as K8sObject & { spec: { egress?: Array<Record<string, unknown>> } };
    p.spec.egress = [{ toPorts: [{ ports: [{ port: '53', protocol: 'DNS-OVER-PIGEON' }] }] }];
    const r = await apiRequest(cp!, 'admin', 'POST', `/apis/cilium.io/v2/namespaces/${p.metadata.namespace}/ciliumnetworkpolicies?dryRun=All&fieldValidation=Strict`, p);
    assert.equal(r.status, 422, r.text.slice(0, 300));
  });

  it('every SeccompProfile passes a server-side dry-run create with the Security Profiles Operator CRD, syscalls kept', async () => {
    const sps = out.workloads.flatMap((w) => w.seccompProfiles);
    assert.ok(sps.length >= 3, `${sps.length} SeccompProfiles`);
    for (const p of sps) {
      assert.equal(p.metadata.namespace, undefined, 'cluster-scoped since SPO v0.9.0');
      const r = await apiRequest(cp!, 'admin', 'POST', `/apis/security-profiles-operator.x-k8s.io/v1beta1/seccompprofiles?dryRun=All&fieldValidation=Strict`, p);
      assert.equal(r.status, 201, `${p.metadata.name}: ${r.text.slice(0, 600)}`);
      assert.deepEqual(r.body.spec.syscalls, (p.spec as { syscalls: unknown }).syscalls);
      assert.equal(r.body.spec.defaultAction, 'SCMP_ACT_ERRNO');
    }
  });

  it('the patch set\'s YAML files hold the same objects, and the server takes them', async () => {
    const { parseAllDocuments } = await import('yaml');
    for (const [file, base] of [['ciliumnetworkpolicies.yaml', 'cilium.io/v2'], ['seccompprofiles.yaml', 'security-profiles-operator.x-k8s.io/v1beta1']] as const) {
      const objs = parseAllDocuments(readFileSync(path.join(tmp, 'out', file), 'utf8')).map((d) => d.toJS() as K8sObject);
      assert.ok(objs.length > 0, file);
      const plural = file.replace('.yaml', '');
      for (const o of objs) {
        const r = await apiRequest(cp!, 'admin', 'POST', `/apis/${base}${o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : ''}/${plural}?dryRun=All&fieldValidation=Strict`, o);
        assert.equal(r.status, 201, `${file} ${o.metadata.name}: ${r.text.slice(0, 400)}`);
      }
    }
  });
});
