import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0722',
  name: 'pvc-not-bound',
  title: 'PersistentVolumeClaim is not bound',
  description:
    'A claim in phase Pending has no volume yet (no matching class, no capacity, a zone the volume cannot be created in, or `WaitForFirstConsumer` with no pod), and one in phase Lost has lost its volume: the pods that mount it cannot start or have lost their data. Judged on claims read with their status (a live cluster or a snapshot).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  severityTable: [
    { case: 'Lost', severity: 'medium', reason: 'The bound volume is gone: data may be lost.' },
    { case: 'Pending', severity: 'low', reason: 'Often transient (WaitForFirstConsumer waits for a pod) but blocks the pods that need it.' },
  ],
  remediation: 'Describe the claim (`kubectl describe pvc`) and fix what its events name: the StorageClass, the requested size or access mode, or the zone; for a Lost claim, restore the volume from a backup.',
  messages: { phase: 'PersistentVolumeClaim "{{name}}" is {{phase}}: the pods that mount it {{effect}}.' },
  targets: 'object',
  kinds: ['PersistentVolumeClaim'],
  check(object, ctx) {
    const phase = asRecord(object['status'])?.['phase'];
    if (phase !== 'Pending' && phase !== 'Lost') return;
    ctx.report('phase', { name: object.metadata.name ?? '', phase, effect: phase === 'Lost' ? 'have lost their volume' : 'cannot start' }, '/status/phase', { severity: phase === 'Lost' ? 'medium' : 'low' });
  },
});
