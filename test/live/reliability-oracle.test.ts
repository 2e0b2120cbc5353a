/**
 * The real API server decides what the reliability controls' fixtures claim about validity:
 * - the objects a "the API server rejects it" control (KOR-0743 selector, KOR-0747 labels,
 *   KOR-0748 Job restartPolicy, KOR-0749 port names, KOR-0774 rollout settings, KOR-0787 CronJob
 *   schedules and time zones, KOR-0790 probe thresholds, KOR-0799 requests above limits, KOR-0827
 *   LimitRange bounds) reports are rejected by a dry-run create, and the objects of their pass
 *   fixtures are accepted;
 * - every other object of the KOR-07xx and KOR-08xx fixtures (and of the cloud topology controls)
 *   is one Kubernetes accepts, so the controls are tested on inputs real clusters hold;
 * - the pods KOR-0770 reports are refused by the quota admission and those KOR-0794 reports by the
 *   LimitRanger admission, the others admitted.
 * Custom resources (Velero, Prometheus Operator, snapshots, Strimzi) are not checked: their
 * CRDs are not installed in the harness.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { acquireControlPlane, apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';
import { allControls } from '../../src/controls/index.js';
import { scanPaths } from '../../src/scan.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/controls');
const REJECTING = new Set(['KOR-0743', 'KOR-0747', 'KOR-0748', 'KOR-0749', 'KOR-0774', 'KOR-0787', 'KOR-0790', 'KOR-0799', 'KOR-0827']);
const IDS = readdirSync(FIXTURES).filter((d) => /^KOR-0[78]\d\d$/.test(d) || d === 'KOR-0020' || d === 'KOR-0021').sort();

/** apiVersion + kind → [plural, namespaced]. */
const RESOURCES: Record<string, [string, boolean]> = {
  'v1 Namespace': ['namespaces', false], 'v1 Node': ['nodes', false], 'v1 Pod': ['pods', true], 'v1 Service': ['services', true],
  'v1 ServiceAccount': ['serviceaccounts', true], 'v1 ConfigMap': ['configmaps', true], 'v1 Event': ['events', true],
  'v1 PersistentVolumeClaim': ['persistentvolumeclaims', true], 'v1 PersistentVolume': ['persistentvolumes', false],
  'apps/v1 Deployment': ['deployments', true], 'apps/v1 StatefulSet': ['statefulsets', true], 'apps/v1 DaemonSet': ['daemonsets', true],
  'batch/v1 Job': ['jobs', true], 'batch/v1 CronJob': ['cronjobs', true], 'policy/v1 PodDisruptionBudget': ['poddisruptionbudgets', true],
  'autoscaling/v2 HorizontalPodAutoscaler': ['horizontalpodautoscalers', true], 'storage.k8s.io/v1 StorageClass': ['storageclasses', false],
  'scheduling.k8s.io/v1 PriorityClass': ['priorityclasses', false], 'networking.k8s.io/v1 Ingress': ['ingresses', true],
  'networking.k8s.io/v1 IngressClass': ['ingressclasses', false], 'v1 ResourceQuota': ['resourcequotas', true], 'v1 LimitRange': ['limitranges', true], 'v1 Secret': ['secrets', true],
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': ['validatingwebhookconfigurations', false],
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': ['mutatingwebhookconfigurations', false],
  'apiregistration.k8s.io/v1 APIService': ['apiservices', false],
};

interface Obj { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }

function objectsOf(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => !!o && typeof o.kind === 'string');
}

function dryRunPath(o: Obj): string | undefined {
  const r = RESOURCES[`${o.apiVersion} ${o.kind}`];
  if (!r) return undefined;
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  return `${base}${r[1] ? `/namespaces/${o.metadata.namespace ?? 'default'}` : ''}/${r[0]}?dryRun=All`;
}

/** Server-set fields a fixture copies from a live object: a create must not carry them. */
function forCreate(o: Obj): Obj {
  const copy = structuredClone(o) as Obj & { metadata: Record<string, unknown>; status?: unknown };
  for (const k of ['uid', 'resourceVersion', 'generation', 'ownerReferences', 'creationTimestamp']) delete copy.metadata[k];
  return copy;
}

interface Case { id: string; file: string; object: Obj; kind: 'pass' | 'fail'; reported: boolean }

async function casesOf(id: string): Promise<Case[]> {
  const control = allControls.find((c) => c.id === id)!;
  const out: Case[] = [];
  for (const kind of ['pass', 'fail'] as const) {
    const dir = path.join(FIXTURES, id, kind);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      const file = path.join(dir, f);
      const findings = (await scanPaths([file], { controls: [control] })).findings;
      const reported = new Set(findings.map((x) => `${x.object?.kind}/${x.object?.namespace ?? ''}/${x.object?.name}`));
      for (const object of objectsOf(file)) {
        const key = `${object.kind}/${dryRunPath(object) && RESOURCES[`${object.apiVersion} ${object.kind}`]![1] ? (object.metadata.namespace ?? 'default') : ''}/${object.metadata.name}`;
        out.push({ id, file: `${id}/${kind}/${f}`, object, kind, reported: reported.has(key) });
      }
    }
  }
  return out;
}

let cp: ControlPlaneInfo;
let release: () => Promise<void> = async () => {};
let cases: Case[] = [];

describe('reliability fixtures against the real API server', { timeout: 30 * 60_000 }, () => {
  before(async () => {
    for (const id of IDS) cases.push(...(await casesOf(id)));
    const acquired = await acquireControlPlane();
    cp = acquired.cp;
    release = acquired.release;
    const namespaces = [...new Set(cases.filter((c) => dryRunPath(c.object) && RESOURCES[`${c.object.apiVersion} ${c.object.kind}`]![1]).map((c) => c.object.metadata.namespace ?? 'default'))].filter((n) => !['default', 'kube-system'].includes(n));
    for (const name of namespaces) {
      const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      assert.ok(r.status === 201 || r.status === 409, `namespace ${name}: ${r.status} ${r.text}`);
    }
  });
  after(async () => release());

  it('finds the fixtures', () => assert.ok(cases.length > 150, `only ${cases.length} objects`));

  it('objects that a rejecting control reports are rejected; all others are accepted', async () => {
    let rejected = 0;
    let accepted = 0;
    const wrong: string[] = [];
    for (const c of cases) {
      const p = dryRunPath(c.object);
      if (!p || c.object.kind === 'Namespace') continue;
      const r = await apiRequest(cp, 'admin', 'POST', p, forCreate(c.object));
      const expectReject = REJECTING.has(c.id) && c.kind === 'fail' && c.reported;
      if (expectReject) {
        if (r.status !== 422) wrong.push(`${c.file} ${c.object.kind} ${c.object.metadata.name}: the control says the API server rejects it, but it answered ${r.status}`);
        rejected++;
      } else {
        if (r.status !== 201) wrong.push(`${c.file} ${c.object.kind} ${c.object.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
        accepted++;
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(rejected >= 7, `only ${rejected} rejections checked`);
    assert.ok(accepted >= 100, `only ${accepted} acceptances checked`);
  });

  it('KOR-0770: the quota admission rejects the pods the control reports, and admits the others', async () => {
    // a namespace per fixture, with its ResourceQuota and LimitRange created for real; then each
    // workload's pod (its template as a Pod) is created with dry run, where quota admission runs
    for (const kind of ['fail', 'pass'] as const) {
      const dir = path.join(FIXTURES, 'KOR-0770', kind);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
        const file = path.join(dir, f);
        const findings = (await scanPaths([file], { controls: [allControls.find((c) => c.id === 'KOR-0770')!] })).findings;
        const reported = new Set(findings.map((x) => `${x.object?.namespace}/${x.object?.name}`));
        const objects = objectsOf(file);
        const ns = (o: Obj): string => `q-${kind}-${f.replace(/\.yaml$/, '')}-${o.metadata.namespace ?? 'default'}`;
        for (const o of objects.filter((x) => x.kind === 'ResourceQuota' || x.kind === 'LimitRange' || x.kind === 'Deployment')) {
          const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(o) } });
          assert.ok(r.status === 201 || r.status === 409);
        }
        for (const o of objects.filter((x) => x.kind === 'ResourceQuota' || x.kind === 'LimitRange')) {
          const plural = o.kind === 'ResourceQuota' ? 'resourcequotas' : 'limitranges';
          const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${ns(o)}/${plural}`, { ...o, metadata: { name: o.metadata.name } });
          assert.ok(r.status === 201 || r.status === 409, `${f}: ${r.text}`);
          if (o.kind === 'ResourceQuota' && r.status === 201) {
            // the harness runs no controller-manager: the quota's status (what admission enforces) is
            // written as the quota controller would write it for an empty namespace
            const hard = (o as unknown as { spec: { hard: Record<string, string> } }).spec.hard;
            const body = { ...r.body, status: { hard, used: Object.fromEntries(Object.keys(hard).map((k) => [k, '0'])) } };
            const s = await apiRequest(cp, 'admin', 'PUT', `/api/v1/namespaces/${ns(o)}/${plural}/${o.metadata.name}/status`, body);
            assert.equal(s.status, 200, `${f}: quota status: ${s.text}`);
          }
        }
        for (const d of objects.filter((x) => x.kind === 'Deployment')) {
          const template = (d as unknown as { spec: { template: { metadata?: object; spec: object } } }).spec.template;
          const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${d.metadata.name}-probe`, ...(template.metadata ?? {}) }, spec: template.spec };
          const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${ns(d)}/pods?dryRun=All`, pod);
          const expectReject = reported.has(`${d.metadata.namespace}/${d.metadata.name}`);
          assert.equal(r.status, expectReject ? 403 : 201, `KOR-0770/${kind}/${f} ${d.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
          if (expectReject) assert.match(r.text, /failed quota/);
        }
      }
    }
  });

  it('KOR-0794: the LimitRanger admission refuses the pods the control reports, and admits the others', async () => {
    const control = allControls.find((c) => c.id === 'KOR-0794')!;
    let refused = 0;
    for (const kind of ['fail', 'pass'] as const) {
      const dir = path.join(FIXTURES, 'KOR-0794', kind);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
        const file = path.join(dir, f);
        const reported = new Set((await scanPaths([file], { controls: [control] })).findings.map((x) => `${x.object?.namespace}/${x.object?.name}`));
        const objects = objectsOf(file);
        const ns = (o: Obj): string => `lr-${kind}-${f.replace(/\.yaml$/, '')}-${o.metadata.namespace ?? 'default'}`;
        for (const o of objects.filter((x) => x.kind === 'LimitRange' || x.kind === 'Deployment')) {
          const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(o) } });
          assert.ok(r.status === 201 || r.status === 409);
        }
        for (const o of objects.filter((x) => x.kind === 'LimitRange')) {
          const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${ns(o)}/limitranges`, { ...o, metadata: { name: o.metadata.name } });
          assert.ok(r.status === 201 || r.status === 409, `${f}: ${r.text}`);
        }
        for (const d of objects.filter((x) => x.kind === 'Deployment')) {
          const template = (d as unknown as { spec: { template: { metadata?: object; spec: object } } }).spec.template;
          const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${d.metadata.name}-probe`, ...(template.metadata ?? {}) }, spec: template.spec };
          const r = await apiRequest(cp, 'admin', 'POST', `/api/v1/namespaces/${ns(d)}/pods?dryRun=All`, pod);
          const expectRefused = reported.has(`${d.metadata.namespace}/${d.metadata.name}`);
          if (expectRefused) refused++;
          assert.equal(r.status, expectRefused ? 403 : 201, `KOR-0794/${kind}/${f} ${d.metadata.name}: ${r.status} ${r.text.slice(0, 300)}`);
        }
      }
    }
    assert.ok(refused >= 3, `only ${refused} refusals checked`);
  });
});
