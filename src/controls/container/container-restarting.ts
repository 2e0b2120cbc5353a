import { defineControl } from '../../engine/types.js';
import { containerStatuses, eventInfo, podStatusKnown } from '../support/pod-status.js';

/** Restarts at or above this count are reported. */
const RESTARTS = 5;

export default defineControl({
  id: 'KOR-0737',
  name: 'container-restarting',
  title: 'Container keeps restarting',
  description:
    'A container in CrashLoopBackOff, or one restarted five times or more, is failing: the application crashes at start, its liveness probe kills it, or it runs out of memory. Its pod serves intermittently or not at all, and each restart waits longer (the back-off grows to five minutes). Judged on pods read with their status from a cluster or a snapshot, and on `BackOff` Events about pods whose status is not in the inputs.',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['threat-detection-alerting'] },
  remediation: 'Read the previous run\'s logs (`kubectl logs --previous`) and the pod\'s events, and fix the crash, the probe or the resources; then check that the restart count stops growing.',
  messages: {
    crashLoop: 'Container "{{name}}" of Pod "{{pod}}" is in CrashLoopBackOff ({{restarts}} restarts).',
    restarts: 'Container "{{name}}" of Pod "{{pod}}" has restarted {{restarts}} times.',
    event: 'Events report {{count}} back-offs restarting a container of Pod "{{pod}}".',
  },
  targets: 'object',
  kinds: ['Pod', 'Event'],
  check(object, ctx) {
    if (object.kind === 'Event') {
      const e = eventInfo(object, ctx.inventory);
      if (!e || e.reason !== 'BackOff' || e.kind !== 'Pod' || podStatusKnown(ctx.inventory, e)) return;
      ctx.report('event', { count: e.count, pod: e.name }, '/reason');
      return;
    }
    for (const s of containerStatuses(object)) {
      const data = { name: s.name, pod: object.metadata.name ?? '', restarts: s.restartCount };
      if (s.waitingReason === 'CrashLoopBackOff') ctx.report('crashLoop', data, `${s.pointer}/state`);
      else if (s.restartCount >= RESTARTS) ctx.report('restarts', data, `${s.pointer}/restartCount`);
    }
  },
});
