import { defineControl } from '../../engine/types.js';
import { eventInfo } from '../support/pod-status.js';

export default defineControl({
  id: 'KOR-0805',
  name: 'volume-mount-failing',
  title: 'Volume cannot be attached or mounted',
  description:
    'Warning events FailedAttachVolume and FailedMount say a pod\'s volume cannot be attached to its node or mounted into the pod: a ReadWriteOnce volume still attached to another node (Multi-Attach), a volume in another zone, a missing Secret or ConfigMap volume, or a storage driver failure. The pod stays in ContainerCreating. Judged on Event objects given as input (for example `kubectl get events -A -o yaml`): `kordon scan --cluster` does not list Events.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Read the event message: detach the volume from the old node (or let the old pod finish), schedule the pod in the volume\'s zone, or create the missing Secret or ConfigMap.',
  messages: { failing: '{{reason}} for Pod "{{pod}}" ({{count}} time(s)): its volume cannot be used and the pod cannot start.' },
  targets: 'object',
  kinds: ['Event'],
  check(object, ctx) {
    const e = eventInfo(object, ctx.inventory);
    if (!e || e.kind !== 'Pod' || (e.reason !== 'FailedMount' && e.reason !== 'FailedAttachVolume')) return;
    ctx.report('failing', { reason: e.reason, pod: e.name, count: e.count }, '/reason');
  },
});
