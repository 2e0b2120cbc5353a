import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export default defineControl({
  id: 'KOR-0723',
  name: 'node-not-ready',
  title: 'Node not ready or under pressure',
  description:
    'A node whose Ready condition is not True takes no new pods and its pods are evicted after the toleration period; a node reporting MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable evicts pods or refuses new ones. Either shrinks the cluster\'s real capacity below what the scheduler plans with. Judged on nodes read with their status (a live cluster or a snapshot).',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Scalability'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  severityTable: [
    { case: 'Ready not True', severity: 'medium', reason: 'The node runs nothing new and its pods are being evicted.' },
    { case: 'pressure condition', severity: 'low', reason: 'The node evicts some pods and refuses new ones until the pressure ends.' },
  ],
  remediation: 'Describe the node (`kubectl describe node`) and fix the kubelet, runtime, disk or memory problem its conditions name, or drain and replace the node.',
  messages: {
    notReady: 'Node "{{name}}" is not ready (Ready is {{status}}).',
    pressure: 'Node "{{name}}" reports {{conditions}}.',
  },
  targets: 'object',
  kinds: ['Node'],
  check(object, ctx) {
    const conditions = asRecord(object['status'])?.['conditions'];
    if (!Array.isArray(conditions)) return;
    const name = object.metadata.name ?? '';
    let readyAt = -1;
    const pressures: string[] = [];
    conditions.forEach((c, i) => {
      const r = asRecord(c);
      if (!r) return;
      if (r['type'] === 'Ready') readyAt = i;
      else if (typeof r['type'] === 'string' && PRESSURE.includes(r['type']) && r['status'] === 'True') pressures.push(r['type']);
    });
    const ready = readyAt >= 0 ? asRecord(conditions[readyAt]) : undefined;
    if (ready && ready['status'] !== 'True') ctx.report('notReady', { name, status: String(ready['status']) }, `/status/conditions/${readyAt}`);
    else if (pressures.length > 0) ctx.report('pressure', { name, conditions: pressures.sort().join(', ') }, '/status/conditions', { severity: 'low' });
  },
});
