import { defineControl } from '../../engine/types.js';
import { asRecord, specOf, statusOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0808',
  name: 'persistent-volume-released',
  title: 'PersistentVolume released or failed',
  description:
    'A PersistentVolume in phase Released lost its claim but kept its data (reclaim policy Retain): no new claim can bind it until someone clears it, so it holds paid-for storage and possibly sensitive data nobody owns any more. Phase Failed means the automatic reclamation (deletion) failed, leaving the disk behind in the cloud account. Judged on volumes read with their status from a cluster or a snapshot.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Decide per volume: recover the data and delete the volume (and its disk), or make it bindable again by removing `spec.claimRef`; for Failed volumes, read the status message and delete the disk by hand.',
  messages: {
    released: 'PersistentVolume "{{name}}" (claim "{{claim}}" gone) is Released: it keeps its data and storage but nothing can use it.',
    failed: 'PersistentVolume "{{name}}" is Failed: reclaiming it did not work and its disk may be left behind.',
  },
  targets: 'object',
  kinds: ['PersistentVolume'],
  check(object, ctx) {
    const phase = statusOf(object)['phase'];
    const ref = asRecord(specOf(object)['claimRef']);
    const claim = ref ? `${String(ref['namespace'] ?? '')}/${String(ref['name'] ?? '')}` : '?';
    if (phase === 'Released') ctx.report('released', { name: object.metadata.name ?? '', claim }, '/status/phase');
    else if (phase === 'Failed') ctx.report('failed', { name: object.metadata.name ?? '' }, '/status/phase');
  },
});
