import { defineControl } from '../../engine/types.js';
import { containersOf, podSpecOf } from '../../inventory/podspec.js';
import type { Inventory } from '../../inventory/inventory.js';
import { schedulableWorkerNodes } from '../support/nodes.js';
import { asRecord, hasController, parseQuantity, resourceOf, statusOf } from '../support/workloads.js';

/** What one pod asks the scheduler for: the larger of the containers' sum and the largest init container. */
function podRequest(obj: Parameters<typeof podSpecOf>[0], resource: string): number {
  const ps = podSpecOf(obj);
  if (!ps) return 0;
  let sum = 0;
  let init = 0;
  for (const c of containersOf(ps)) {
    const r = resourceOf(c.container.resources, 'requests', resource) ?? resourceOf(c.container.resources, 'limits', resource) ?? 0;
    if (c.kind === 'container' || (c.kind === 'initContainer' && c.container.restartPolicy === 'Always')) sum += r;
    else if (c.kind === 'initContainer') init = Math.max(init, r);
  }
  return Math.max(sum, init);
}

const largestCache = new WeakMap<Inventory, Map<string, number | undefined>>();

/**
 * The largest allocatable amount of a resource on a schedulable worker node; undefined when there
 * are no such nodes or one of them does not say (then nothing can be judged). Once per inventory.
 */
function largestAllocatable(inv: Inventory, resource: string): number | undefined {
  let byResource = largestCache.get(inv);
  if (!byResource) largestCache.set(inv, (byResource = new Map()));
  if (byResource.has(resource)) return byResource.get(resource);
  const nodes = schedulableWorkerNodes(inv);
  let largest: number | undefined;
  for (const n of nodes) {
    const v = parseQuantity(asRecord(statusOf(n.object)['allocatable'])?.[resource]);
    if (v === undefined) {
      largest = undefined;
      break;
    }
    largest = largest === undefined ? v : Math.max(largest, v);
  }
  byResource.set(resource, largest);
  return largest;
}

function format(resource: string, v: number): string {
  if (resource === 'cpu') return `${Math.round(v * 100) / 100} CPU`;
  return v >= 1024 ** 3 ? `${Math.round((v / 1024 ** 3) * 10) / 10}Gi of memory` : `${Math.round(v / 1024 ** 2)}Mi of memory`;
}

export default defineControl({
  id: 'KOR-0825',
  name: 'requests-exceed-node-capacity',
  title: 'Pods request more than any node can offer',
  description:
    'A pod whose CPU or memory requests (the sum of its containers, or its largest init container) exceed the allocatable capacity of every schedulable worker node can never be scheduled: it stays Pending, and a cluster autoscaler adds no node unless a larger node type is configured. It usually follows a request raised in a values file, or a node pool moved to smaller machines. Judged where the inputs hold nodes with their allocatable capacity (a live cluster or a snapshot).',
  layer: 'cluster',
  dimensions: ['Scalability', 'Applications'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Lower the requests to what the application needs, or add a node pool with larger machines (and let the autoscaler use it).',
  messages: { exceeds: '{{kind}} "{{name}}" requests {{request}} per pod, more than the largest schedulable node offers ({{largest}}): its pods stay Pending.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'],
  check(object, ctx) {
    if (hasController(object) || (object.kind === 'Pod' && typeof asRecord(object['spec'])?.['nodeName'] === 'string')) return;
    for (const resource of ['cpu', 'memory']) {
      const largest = largestAllocatable(ctx.inventory, resource);
      if (largest === undefined) continue;
      const request = podRequest(object, resource);
      if (request <= largest) continue;
      ctx.report('exceeds', { kind: object.kind, name: object.metadata.name ?? '', request: format(resource, request), largest: format(resource, largest) }, object.kind === 'Pod' ? '/spec/containers' : object.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec/containers' : '/spec/template/spec/containers');
    }
  },
});
