/**
 * The operations corpus (test/corpus/ctlrel/): a small platform as a practitioner exports it
 * (nodes with their status, a shop namespace with a web tier, a database StatefulSet, a report
 * CronJob, a policy webhook, storage classes and a Velero schedule), once with the mistakes teams
 * make and once with each of them fixed. Pins every finding of the controls KOR-0773 and up on the
 * first (each was read and is true of the input) and none on the second, with byte-identical JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanPaths } from '../../src/scan.js';
import { toJsonReport } from '../../src/report/json.js';
import type { Finding } from '../../src/engine/types.js';

const mine = (f: Finding): boolean => /^KOR-0(7[7-9]\d|8\d\d)$/.test(f.controlId);
const line = (f: Finding): string => `${f.controlId} ${f.object?.id} ${f.location?.source.split('/').pop()}:${f.location?.line}`;

test('the platform with its mistakes: every finding of the operations controls', async () => {
  const r = await scanPaths(['test/corpus/ctlrel/platform']);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.findings.filter(mine).map(line).sort(), [
    'KOR-0773 Deployment/shop/web shop.yaml:14', // maxUnavailable 100% of 3 replicas
    'KOR-0775 HorizontalPodAutoscaler/shop/web shop.yaml:77', // scaleDown window 0
    'KOR-0778 Deployment/shop/web shop.yaml:26', // spread selector app=web, the pods say app.kubernetes.io/name
    'KOR-0781 Deployment/policy/guard platform.yaml:17', // tolerates every taint
    'KOR-0783 StorageClass//gp3 storage.yaml:6', // EBS, Immediate, nodes in two zones
    'KOR-0784 VolumeSnapshotClass//ebs storage.yaml:22', // deletionPolicy Delete
    'KOR-0785 Schedule/velero/nightly storage.yaml:30', // 12h TTL, daily schedule
    'KOR-0786 Schedule/velero/nightly storage.yaml:32', // snapshotVolumes false, shop has claims
    'KOR-0787 CronJob/shop/report shop.yaml:115', // CRON_TZ in the schedule
    'KOR-0788 CronJob/shop/report shop.yaml:116', // failedJobsHistoryLimit 0
    'KOR-0789 Service/shop/web shop.yaml:49', // publishNotReadyAddresses on a ClusterIP Service
    'KOR-0791 Deployment/shop/web shop.yaml:35', // liveness failureThreshold 1
    'KOR-0792 Deployment/shop/web shop.yaml:38', // preStop sleep 30 in a 30 s grace period
    'KOR-0795 PriorityClass//platform-default platform.yaml:48', // two global defaults
    'KOR-0797 StatefulSet/shop/db shop.yaml:95', // partition 2 of 3
    'KOR-0798 StatefulSet/shop/db shop.yaml:96', // whenDeleted: Delete
    'KOR-0801 ServiceMonitor/shop/web shop.yaml:85', // port http-metrics, the Service says metrics
    'KOR-0807 Node//worker-b nodes.yaml:35', // cordoned
    'KOR-0810 Deployment/shop/web shop.yaml:9', // budgets "web" and "storefront" both select it
    'KOR-0814 Node//cp-1 nodes.yaml:11', // one control-plane node
    'KOR-0817 Deployment/shop/web shop.yaml:19', // safe-to-evict "false"
    'KOR-0822 ValidatingWebhookConfiguration//guard platform.yaml:40', // fails closed, one replica
    'KOR-0823 ValidatingWebhookConfiguration//guard platform.yaml:36', // covers kube-system and policy
    'KOR-0825 StatefulSet/shop/db shop.yaml:101', // 6 CPU per pod, nodes offer 3.92
  ]);
  // one finding per control and object: nothing said twice
  const keys = r.findings.filter(mine).map((f) => `${f.controlId} ${f.object?.id} ${f.pointer}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('the same platform with each mistake fixed: no finding of the operations controls', async () => {
  const r = await scanPaths(['test/corpus/ctlrel/platform-fixed']);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.findings.filter(mine).map(line), []);
});

test('the same input gives the same JSON, byte for byte', async () => {
  const a = JSON.stringify(toJsonReport(await scanPaths(['test/corpus/ctlrel/platform'])));
  const b = JSON.stringify(toJsonReport(await scanPaths(['test/corpus/ctlrel/platform'])));
  assert.equal(a, b);
});
