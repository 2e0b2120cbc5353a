/**
 * `kordon harden`'s output against the real API server and the real kustomize:
 * - every generated NetworkPolicy is accepted by a server-side dry-run create;
 * - every workload JSON patch is accepted by a server-side dry-run PATCH
 *   (application/json-patch+json) of the real object, and the object the server returns
 *   carries the seccomp profile and the capabilities;
 * - the patch set (--out, --seccomp localhost) built with kustomize over the manifests gives
 *   objects the API server accepts (dry-run create).
 * SeccompProfile and CiliumNetworkPolicy objects are checked against their upstream CRDs in
 * test/live/harden-crds.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { acquireControlPlane, apiRequest, binaryPath, type ControlPlaneInfo } from '../support/controlplane.js';
import { collectionPath, objectPath } from '../support/apply.js';
import { runCli } from '../support/cli.js';
import type { K8sObject } from '../../src/inventory/types.js';

const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/harden/shop');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kordon-harden-live-'));
// a namespace of its own, so runs and other tests never meet
const NS = `harden-${process.pid}`;

let cp: ControlPlaneInfo & { kubeconfigFor(user: string): string };
let release: () => Promise<void> = async () => {};

interface Out {
  workloads: Array<{ workload: { kind: string; namespace: string; name: string }; networkPolicies: K8sObject[]; patch: unknown[] }>;
}

/** The fixture's manifests moved to NS (the shop namespace renamed). */
function fixtureIn(ns: string): string {
  const text = readFileSync(path.join(SHOP, 'manifests/shop.yaml'), 'utf8').replace(/namespace: shop\b/g, `namespace: ${ns}`).replace(/name: shop$/m, `name: ${ns}`);
  return text;
}

describe('kordon harden output is accepted by the API server', { timeout: 10 * 60_000 }, () => {
  let out: Out;
  let manifests: K8sObject[];
  before(async () => {
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    const dir = path.join(tmp, 'base');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'shop.yaml'), fixtureIn(NS));
    // the runtime fixtures, moved to NS too
    const rt = path.join(tmp, 'runtime');
    mkdirSync(rt);
    for (const f of ['tetragon.jsonl', 'hubble.jsonl', 'kubescape-api.yaml', 'spo-db.yaml', 'gadget-db-capabilities.jsonl', 'kordon-report.lines'])
      writeFileSync(path.join(rt, f), readFileSync(path.join(SHOP, 'runtime', f), 'utf8').replace(/"shop"/g, `"${NS}"`).replace(/\bshop\//g, `${NS}/`).replace(/namespace: shop\b/g, `namespace: ${NS}`).replace(/workload-namespace: shop\b/g, `workload-namespace: ${NS}`).replace(/=shop"/g, `=${NS}"`));
    const r = await runCli(['harden', dir, '--runtime', rt, '-f', 'json', '--seccomp', 'localhost', '--out', path.join(tmp, 'patchset'), '-q', '--no-config']);
    // 3: the fixture's deliberately bad lines; never 1 (an observed flow denied)
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.err}`);
    out = JSON.parse(r.out) as Out;
    manifests = parseAllDocuments(readFileSync(path.join(dir, 'shop.yaml'), 'utf8')).map((d) => d.toJS() as K8sObject);
    const ns = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    assert.ok(ns.status === 201 || ns.status === 409, ns.text);
  });
  after(async () => {
    await apiRequest(cp, 'admin', 'DELETE', `/api/v1/namespaces/${NS}`);
    await release();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('hardens the four workloads of the namespace', () => {
    assert.deepEqual(
      out.workloads.map((w) => w.workload.name),
      ['api', 'db', 'report', 'web'],
    );
  });

  it('every generated NetworkPolicy passes a server-side dry-run create', async () => {
    const policies = out.workloads.flatMap((w) => w.networkPolicies);
    assert.equal(policies.length, 4);
    for (const p of policies) {
      const r = await apiRequest(cp, 'admin', 'POST', `${collectionPath(p)}?dryRun=All`, p);
      assert.equal(r.status, 201, `${p.metadata.name}: ${r.text.slice(0, 500)}`);
      // the server kept every rule (nothing dropped or defaulted away)
      assert.equal(r.body.spec.egress.length, (p.spec as { egress: unknown[] }).egress.length);
    }
  });

  it('every workload patch passes a server-side dry-run JSON patch of the real object', async () => {
    for (const w of out.workloads) {
      if (w.patch.length === 0) continue;
      const obj = manifests.find((m) => m.kind === w.workload.kind && m.metadata.name === w.workload.name)!;
      const created = await apiRequest(cp, 'admin', 'POST', collectionPath(obj), obj);
      assert.ok(created.status === 201 || created.status === 409, `${w.workload.name}: ${created.text.slice(0, 300)}`);
      const r = await apiRequest(cp, 'admin', 'PATCH', `${objectPath(obj)}?dryRun=All`, w.patch, { contentType: 'application/json-patch+json' });
      assert.equal(r.status, 200, `${w.workload.name}: ${r.text.slice(0, 500)}`);
      const spec = w.workload.kind === 'CronJob' ? r.body.spec.jobTemplate.spec.template.spec : r.body.spec.template.spec;
      for (const c of spec.containers) {
        assert.equal(c.securityContext.seccompProfile.type, 'Localhost', `${w.workload.name}/${c.name}`);
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
      }
    }
  });

  it('--cluster: the workloads read from the API server get the same answer as from the files', async () => {
    // the workloads exist now (created by the test above); ReplicaSets and pods do not (no
    // controllers run here). The Services get the addresses the server assigns, and the
    // observations are rewritten to them; CoreDNS is created in kube-system.
    const rt = path.join(tmp, 'runtime-cluster');
    mkdirSync(rt);
    let hubble = readFileSync(path.join(tmp, 'runtime', 'hubble.jsonl'), 'utf8');
    let lines = readFileSync(path.join(tmp, 'runtime', 'kordon-report.lines'), 'utf8');
    for (const svc of manifests.filter((m) => m.kind === 'Service' && m.metadata.namespace === NS)) {
      const { clusterIP, ...spec } = svc.spec as { clusterIP?: string };
      const r = await apiRequest(cp, 'admin', 'POST', collectionPath(svc), { ...svc, spec: clusterIP === 'None' ? svc.spec : spec });
      assert.equal(r.status, 201, r.text.slice(0, 300));
      if (clusterIP && clusterIP !== 'None') {
        hubble = hubble.split(`"${clusterIP}"`).join(`"${r.body.spec.clusterIP}"`);
        lines = lines.split(` ${clusterIP} `).join(` ${r.body.spec.clusterIP} `);
      }
    }
    for (const f of ['tetragon.jsonl', 'kubescape-api.yaml', 'spo-db.yaml', 'gadget-db-capabilities.jsonl']) writeFileSync(path.join(rt, f), readFileSync(path.join(tmp, 'runtime', f)));
    writeFileSync(path.join(rt, 'hubble.jsonl'), hubble);
    writeFileSync(path.join(rt, 'kordon-report.lines'), lines);
    const coredns = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'coredns')!;
    const made = await apiRequest(cp, 'admin', 'POST', collectionPath(coredns), coredns);
    assert.ok(made.status === 201 || made.status === 409, made.text.slice(0, 300));
    try {
      const r = await runCli(['harden', '--cluster', '--kubeconfig', cp.kubeconfigFor('admin'), '--runtime', rt, '-f', 'json', '--seccomp', 'localhost', '-q']);
      assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.err}`);
      const live = JSON.parse(r.out) as Out;
      const mine = live.workloads.filter((w) => w.workload.namespace === NS);
      assert.deepEqual(
        mine.map((w) => w.workload.name),
        out.workloads.map((w) => w.workload.name),
      );
      for (const w of mine) {
        const fromFiles = out.workloads.find((x) => x.workload.name === w.workload.name)!;
        assert.deepEqual(w.patch, fromFiles.patch, `${w.workload.name}: ${JSON.stringify(w.patch)} vs ${JSON.stringify(fromFiles.patch)}`);
        assert.deepEqual(w.networkPolicies, fromFiles.networkPolicies, w.workload.name);
      }
    } finally {
      if (made.status === 201) await apiRequest(cp, 'admin', 'DELETE', objectPath(coredns));
    }
  });

  it('the patch set, built by the real kustomize over the manifests, is accepted (dry-run create)', async () => {
    const ps = path.join(tmp, 'patchset');
    const k = parse(readFileSync(path.join(ps, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    // the overlay takes the workloads from the base (only the kinds the patches target, so the
    // fixture's Services and Endpoints with fixed addresses stay out)
    const base = path.join(tmp, 'overlay-base');
    mkdirSync(base);
    const kinds = new Set(['Deployment', 'StatefulSet', 'CronJob']);
    writeFileSync(path.join(base, 'workloads.yaml'), manifests.filter((m) => kinds.has(m.kind)).map((m) => stringify(m)).join('---\n'));
    writeFileSync(path.join(base, 'kustomization.yaml'), stringify({ resources: ['workloads.yaml'] }));
    k.resources = ['../overlay-base', ...k.resources];
    writeFileSync(path.join(ps, 'kustomization.yaml'), stringify(k));
    const built = execFileSync(binaryPath('kustomize'), ['build', ps], { encoding: 'utf8' });
    const objects = parseAllDocuments(built).map((d) => d.toJS() as K8sObject);
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as unknown as { spec: { template: { spec: { containers: Array<{ securityContext: { seccompProfile: { localhostProfile: string }; capabilities: { add: string[] } } }> } } } };
    assert.equal(web.spec.template.spec.containers[0]!.securityContext.seccompProfile.localhostProfile, `kordon/${NS}/web-nginx.json`);
    assert.deepEqual(web.spec.template.spec.containers[0]!.securityContext.capabilities.add, ['NET_BIND_SERVICE']);
    assert.equal(objects.filter((o) => o.kind === 'NetworkPolicy').length, 4);
    for (const o of objects) {
      // the workloads exist already (created above): replace is the dry run for them
      const exists = await apiRequest(cp, 'admin', 'GET', objectPath(o));
      const r = exists.status === 200 ? await apiRequest(cp, 'admin', 'PUT', `${objectPath(o)}?dryRun=All`, { ...o, metadata: { ...o.metadata, resourceVersion: exists.body.metadata.resourceVersion } }) : await apiRequest(cp, 'admin', 'POST', `${collectionPath(o)}?dryRun=All`, o);
      assert.ok(r.status === 200 || r.status === 201, `${o.kind} ${o.metadata.name}: ${r.status} ${r.text.slice(0, 400)}`);
    }
  });
});
