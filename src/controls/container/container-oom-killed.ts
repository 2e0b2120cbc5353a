import { defineControl } from '../../engine/types.js';
import { containerStatuses, eventInfo } from '../support/pod-status.js';

export default defineControl({
  id: 'KOR-0738',
  name: 'container-oom-killed',
  title: 'Container was killed for running out of memory',
  description:
    'A container whose current or last termination reason is OOMKilled used more memory than its limit (or the node ran out): it lost its in-memory state and every request in flight, and will be killed again under the same load. The kernel\'s OOM kills on a node are also reported where node events (`OOMKilling`, from the node problem detector) are in the inputs. Judged on pods read with their status from a cluster or a snapshot.',
  layer: 'container',
  dimensions: ['Scalability', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['threat-detection-alerting'] },
  remediation: 'Raise the container\'s memory limit (and request) to its real peak working set, or fix the leak; alert on OOM kills so that the next one is seen.',
  messages: {
    pod: 'Container "{{name}}" of Pod "{{pod}}" was OOM-killed (restarts: {{restarts}}).',
    node: 'Node "{{node}}" reports {{count}} out-of-memory kills.',
  },
  targets: 'object',
  kinds: ['Pod', 'Event'],
  check(object, ctx) {
    if (object.kind === 'Event') {
      const e = eventInfo(object, ctx.inventory);
      if (!e || e.reason !== 'OOMKilling' || e.kind !== 'Node') return;
      ctx.report('node', { node: e.name, count: e.count }, '/reason');
      return;
    }
    for (const s of containerStatuses(object)) {
      if (s.terminatedReason === 'OOMKilled') ctx.report('pod', { name: s.name, pod: object.metadata.name ?? '', restarts: s.restartCount }, `${s.pointer}/state/terminated/reason`);
      else if (s.lastTerminatedReason === 'OOMKilled') ctx.report('pod', { name: s.name, pod: object.metadata.name ?? '', restarts: s.restartCount }, `${s.pointer}/lastState/terminated/reason`);
    }
  },
});
