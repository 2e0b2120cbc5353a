/**
 * The reliability corpus (test/corpus/morecontrols/): a Helm chart rendered with the real helm and
 * a cluster export with live status. Pins every finding of the reliability and operations
 * controls (KOR-07xx, KOR-0020/0021) on them: each line was read and is true of the input, none is
 * said twice, and the output is the same on every run.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryPath } from '../support/controlplane.js';
import { scanPaths } from '../../src/scan.js';
import { toJsonReport } from '../../src/report/json.js';
import type { Finding } from '../../src/engine/types.js';

const CHART = 'test/corpus/morecontrols/orders-chart';
const EXPORT = 'test/corpus/morecontrols/cluster-export.yaml';
let helm: string;

before(() => {
  helm = binaryPath('helm');
});

const mine = (f: Finding): boolean => /^KOR-(07\d\d|002[01])$/.test(f.controlId);
const line = (f: Finding): string => `${f.controlId} ${f.object?.id} ${f.location?.source.split('/').pop()}:${f.location?.line}`;

test('the chart: every reliability finding, at its template line', async () => {
  const r = await scanPaths([CHART], { helm: { binary: helm }, defaultNamespace: 'shop' });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.findings.filter(mine).map(line).sort(), [
    'KOR-0702 PodDisruptionBudget/shop/kordon-orders pdb.yaml:7', // maxUnavailable 0
    'KOR-0703 PodDisruptionBudget/shop/kordon-orders-db pdb.yaml:22', // its budget selects component=database, the pods say db: one finding, naming the StatefulSet
    'KOR-0705 HorizontalPodAutoscaler/shop/kordon-orders hpa.yaml:12', // minReplicas 1 from values
    'KOR-0707 Deployment/shop/kordon-orders deployment.yaml:9', // replicas 3 under an HPA
    'KOR-0709 Deployment/shop/kordon-orders deployment.yaml:45', // 256Mi requested, 1Gi limit
    'KOR-0711 StatefulSet/shop/kordon-orders-db database.yaml:55', // pg_isready for both probes
    'KOR-0712 Deployment/shop/kordon-orders deployment.yaml:39', // liveness on "http", the port is "web"
    'KOR-0729 CronJob/shop/kordon-orders-export cronjob.yaml:23', // no activeDeadlineSeconds
    'KOR-0731 Service/shop/kordon-orders service.yaml:15', // targetPort http, the port is "web"
    'KOR-0732 Ingress/shop/kordon-orders ingress.yaml:20', // port 8080, the Service exposes 80
    'KOR-0748 CronJob/shop/kordon-orders-export cronjob.yaml:23', // restartPolicy unset: the API server rejects the CronJob
  ]);
  assert.match(r.findings.find((f) => f.controlId === 'KOR-0703')!.message, /written for StatefulSet "kordon-orders-db"/);
});

test('the cluster export: live state, topology, storage and backups', async () => {
  const r = await scanPaths([EXPORT]);
  assert.deepEqual(r.problems, []);
  const found = r.findings.filter(mine);
  assert.deepEqual(found.map(line).sort(), [
    'KOR-0020 Node//ip-10-0-1-17.eu-west-1.compute.internal cluster-export.yaml:15',
    'KOR-0021 Node//ip-10-0-1-17.eu-west-1.compute.internal cluster-export.yaml:15',
    'KOR-0701 Deployment/shop/web cluster-export.yaml:112',
    'KOR-0715 StorageClass//gp2 cluster-export.yaml:310',
    'KOR-0716 PersistentVolumeClaim/billing/invoices cluster-export.yaml:283',
    'KOR-0717 StorageClass//gp2 cluster-export.yaml:301',
    'KOR-0718 PersistentVolumeClaim/billing/invoices cluster-export.yaml:276',
    'KOR-0719 Backup/velero/shop-daily-20261206020000 cluster-export.yaml:364',
    'KOR-0723 Node//ip-10-0-1-52.eu-west-1.compute.internal cluster-export.yaml:35',
    'KOR-0723 Node//ip-10-0-1-90.eu-west-1.compute.internal cluster-export.yaml:52',
    'KOR-0725 Deployment/billing/adminer cluster-export.yaml:266',
    'KOR-0733 Namespace//billing cluster-export.yaml:62',
    'KOR-0735 Deployment/billing/adminer cluster-export.yaml:252',
    'KOR-0737 Pod/shop/web-6d9f7c8b5-7wq4d cluster-export.yaml:226',
    'KOR-0738 Pod/shop/web-6d9f7c8b5-7wq4d cluster-export.yaml:225',
    'KOR-0739 Pod/shop/web-6d9f7c8b5-mm8zt cluster-export.yaml:249',
    'KOR-0740 Deployment/billing/adminer cluster-export.yaml:273',
    'KOR-0740 Deployment/shop/web cluster-export.yaml:129',
    'KOR-0741 HorizontalPodAutoscaler/shop/web cluster-export.yaml:334',
    'KOR-0746 DaemonSet/kube-system/aws-node cluster-export.yaml:92',
    'KOR-0756 DaemonSet/kube-system/aws-node cluster-export.yaml:91',
    'KOR-0772 DaemonSet/kube-system/aws-node cluster-export.yaml:77', // no log agent among the DaemonSets
  ].sort());
  // the pending claim's cause (an unknown StorageClass) stands for its symptom
  const claim = found.find((f) => f.controlId === 'KOR-0716')!;
  assert.deepEqual(claim.related?.map((x) => x.controlId), ['KOR-0722']);
  // pods running their ReplicaSet's template are not judged again for what the Deployment is judged for
  assert.ok(!found.some((f) => f.object?.kind === 'ReplicaSet'));
  // the minimum the autoscaler allows is the replica count judged, not spec.replicas
  assert.match(found.find((f) => f.controlId === 'KOR-0701')!.message, /runs 2 or more replicas/);
});

test('no finding is said twice, and the JSON is the same on every run', async () => {
  const a = await scanPaths([CHART, EXPORT], { helm: { binary: helm }, defaultNamespace: 'shop', now: new Date('2026-12-07T00:00:00Z') });
  const b = await scanPaths([CHART, EXPORT], { helm: { binary: helm }, defaultNamespace: 'shop', now: new Date('2026-12-07T00:00:00Z') });
  const keys = a.findings.map((f) => `${f.controlId}|${f.object?.id}|${f.pointer}|${f.message}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(JSON.stringify(toJsonReport(a)), JSON.stringify(toJsonReport(b)));
});
