/**
 * The noise corpus (test/corpus/noise/): inputs shaped like public repositories and a live
 * cluster. De-duplication must remove only findings another reported finding stands for, never
 * invent one, and give the per-root-cause results a practitioner expects.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureNoise, type NoiseMeasure } from '../support/noise.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../corpus/noise');
const corpora = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const measured = new Map<string, Promise<NoiseMeasure>>();
const measure = (name: string): Promise<NoiseMeasure> => {
  let m = measured.get(name);
  if (!m) measured.set(name, (m = measureNoise([path.join(dir, name)])));
  return m;
};
const on = (m: NoiseMeasure, id: string) => m.reported.filter((f) => f.object?.id === id);

describe('noise corpus: no true problem disappears', () => {
  for (const name of corpora) {
    it(`${name}: every removed finding is covered by a reported one on the same object or its template owner`, async () => {
      const m = await measure(name);
      assert.ok(m.before > m.after, `${name}: de-duplication removed nothing (${m.before} findings)`);
      // A pod running its owner's template is judged at the owner: where the control passes the
      // owner, the pod's finding was the control not knowing the pod's context. Only the probe
      // controls do that (a Job's pod needs no probes; the control skips Jobs and CronJobs, not
      // their pods), and only for pods of run-to-completion owners.
      const judgedAtOwner = (r: NoiseMeasure['removed'][number]) => ['KOR-0119', 'KOR-0120'].includes(r.finding.controlId) && /^Pod\/[^/]+\/report-/.test(r.finding.object!.id);
      const lost = m.removed.filter((r) => r.how === 'lost' || (r.how === 'owner-passed' && !judgedAtOwner(r))).map((r) => `${r.finding.controlId} ${r.finding.object?.id} ${r.finding.pointer}`);
      assert.deepEqual(lost, []);
      assert.deepEqual(m.invented.map((f) => `${f.controlId} ${f.object?.id} ${f.pointer}`), []);
      // a related winner names the removed control and is on the same object
      for (const r of m.removed.filter((x) => x.how === 'related')) {
        assert.equal(r.by!.object?.id, r.finding.object?.id);
        assert.ok(r.by!.related!.some((x) => x.controlId === r.finding.controlId && x.title === r.finding.title && x.severity === r.finding.severity));
      }
      // one root cause, one finding: no two reported findings where one's control supersedes the other's on the same field
      const keys = m.reported.map((f) => [f.controlId, f.object?.id, f.pointer, f.container, f.message].join('|'));
      assert.equal(new Set(keys).size, keys.length, 'a finding is reported twice');
    });
  }
});

describe('noise corpus: one root cause, one finding', () => {
  it('kubernetes-goat: the runtime socket mount is one finding naming the hostPath and PSS controls', async () => {
    const m = await measure('kubernetes-goat.yaml');
    const hc = on(m, 'Deployment/default/health-check-deployment').filter((f) => f.pointer.includes('/volumes/0') || f.pointer.includes('/volumeMounts/0'));
    assert.deepEqual(hc.map((f) => f.controlId), ['KOR-0122']);
    assert.deepEqual(hc[0]!.related!.map((r) => r.controlId), ['KOR-0005', 'KOR-0013']);
    assert.equal(hc[0]!.severity, 'critical');
  });

  it('kubernetes-goat: an added capability is one finding; a cluster-admin binding is one critical finding', async () => {
    const m = await measure('kubernetes-goat.yaml');
    const caps = on(m, 'Deployment/kube-system/metadata-db').filter((f) => f.pointer.includes('/capabilities/add/'));
    assert.deepEqual(caps.map((f) => [f.controlId, f.pointer.split('/').pop()]), [['KOR-0126', '0'], ['KOR-0126', '1']]);
    for (const f of caps) assert.deepEqual(f.related!.map((r) => r.controlId), ['KOR-0004', 'KOR-0018']);
    // the specific control's graded severity is the finding's; the Pod Security verdicts keep theirs in related
    for (const f of caps) assert.ok(f.related!.every((r) => typeof r.severity === 'string'));
    const image = on(m, 'Deployment/kube-system/metadata-db').filter((f) => f.pointer.endsWith('/image'));
    assert.deepEqual(image.map((f) => f.controlId).sort(), ['KOR-0100', 'KOR-0112']); // the registry is another root cause
    const binding = on(m, 'ClusterRoleBinding//superadmin');
    assert.deepEqual(binding.map((f) => [f.controlId, f.severity]), [['KOR-0200', 'critical']]);
    assert.ok(binding[0]!.related!.some((r) => r.controlId === 'KOR-0141'));
  });

  it('argo-cd: the API server binding, a wildcard rule, is one finding: its most severe grant, naming the others', async () => {
    const m = await measure('argo-cd-install.yaml');
    const before = m.removed.filter((r) => r.finding.object?.id === 'ClusterRoleBinding//gitops-server');
    const server = on(m, 'ClusterRoleBinding//gitops-server');
    assert.equal(server.length, 1);
    assert.ok(before.length >= 10, `only ${before.length} findings folded`);
    assert.equal(server[0]!.related!.length, before.length);
    assert.ok(server[0]!.related!.some((r) => r.controlId === 'KOR-0222'), 'the wildcard is named');
    // the reported one is the most severe grant (the kubelet API through nodes/proxy), at its own severity
    assert.deepEqual([server[0]!.controlId, server[0]!.severity], ['KOR-0213', 'critical']);
    for (const r of before) assert.ok(['critical', 'high', 'medium', 'low'].indexOf(r.finding.severity) >= 0);
  });

  it('live cluster: a privileged Deployment with two replicas is judged once, with its pod count', async () => {
    const m = await measure('live-cluster.yaml');
    const priv = m.reported.filter((f) => f.controlId === 'KOR-0003');
    assert.deepEqual(priv.map((f) => [f.object?.id, f.pods]), [['Deployment/shop/web', 2], ['Pod/shop/debug', undefined]]);
    // nothing is said about the current ReplicaSet and the pods running the template
    for (const id of ['ReplicaSet/shop/web-6c9f7d5b8d', 'Pod/shop/web-6c9f7d5b8d-7xk2q', 'Pod/shop/web-6c9f7d5b8d-p9mzt', 'Job/shop/report-29412360', 'Pod/shop/report-29412360-x8k4w', 'Pod/shop/db-0', 'Pod/shop/db-1', 'Pod/monitoring/node-exporter-4wz8n']) {
      assert.deepEqual(on(m, id).map((f) => f.controlId), [], id);
    }
    assert.equal(on(m, 'StatefulSet/shop/db').find((f) => f.controlId === 'KOR-0016')!.pods, 2);
    assert.equal(on(m, 'CronJob/shop/report').find((f) => f.controlId === 'KOR-0126')!.pods, 1);
    const ds = on(m, 'DaemonSet/monitoring/node-exporter');
    assert.equal(ds.find((f) => f.controlId === 'KOR-0123')!.pods, 1);
    // what is said about the namespace the workload is in is not about its pods
    assert.equal(ds.find((f) => f.controlId === 'KOR-0137')!.pods, undefined);
  });

  it('live cluster: a pod mutated at admission is judged itself, for what differs from its template', async () => {
    const m = await measure('live-cluster.yaml');
    const pod = on(m, 'Pod/shop/api-77f9c4b6d5-tq4lm');
    assert.ok(pod.length > 0);
    // the injected container's findings, and the pod-level ones that now name it; nothing about the template's own container
    for (const f of pod) assert.ok(f.pointer.startsWith('/spec/containers/1') || /"proxy"/.test(f.message), `${f.controlId} ${f.pointer} ${f.message}`);
    assert.ok(pod.some((f) => f.controlId === 'KOR-0126'));
    // an earlier revision's ReplicaSet keeps only what differs from the Deployment (its image:
    // not pinned by digest, which stands for the pull policy of that image too)
    const old = on(m, 'ReplicaSet/shop/web-58d4c6f9b7');
    assert.deepEqual(old.map((f) => [f.controlId, f.pointer.split('/').pop(), f.related?.map((r) => r.controlId)]), [['KOR-0111', 'image', ['KOR-0113']]]);
    // a bare pod is judged itself
    assert.ok(on(m, 'Pod/shop/debug').some((f) => f.controlId === 'KOR-0003'));
  });

  it('microservices-demo: hardened templates; an unpinned image is one finding', async () => {
    const m = await measure('microservices-demo.yaml');
    const images = m.reported.filter((f) => f.pointer.endsWith('/image') && ['KOR-0100', 'KOR-0111', 'KOR-0113'].includes(f.controlId));
    const perImage = new Map<string, string[]>();
    for (const f of images) perImage.set(`${f.object?.id}${f.pointer}`, [...(perImage.get(`${f.object?.id}${f.pointer}`) ?? []), f.controlId]);
    for (const [where, ids] of perImage) assert.equal(ids.length, 1, `${where}: ${ids.join(', ')}`);
  });
});
