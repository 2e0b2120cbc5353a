import { defineControl } from '../../engine/types.js';
import { hasResource, podContainers } from '../support/pod.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0782',
  name: 'empty-dir-without-size-limit',
  title: 'emptyDir volume without a size limit',
  description:
    'An emptyDir volume without `sizeLimit` grows until the node\'s disk (or, with `medium: Memory`, its memory) runs out: a runaway cache or log file then triggers disk-pressure evictions of every pod on the node, not just this one. The kubelet caps it only through the pod\'s ephemeral-storage limits (memory limits for a memory-backed volume), so the volume is reported where not every container of the pod has that limit. A `sizeLimit` makes the kubelet evict the offending pod alone.',
  layer: 'container',
  dimensions: ['Storage & Backup', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `emptyDir.sizeLimit` to what the volume is meant to hold (for example `1Gi` of scratch space), or give every container an `ephemeral-storage` limit (a `memory` limit for `medium: Memory`).',
  messages: {
    disk: 'emptyDir volume "{{volume}}" has no sizeLimit and the pod\'s ephemeral storage is not limited: it can fill the node\'s disk.',
    memory: 'Memory-backed emptyDir volume "{{volume}}" has no sizeLimit and the pod\'s memory is not limited: it can take the node\'s memory.',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
    const containers = podContainers(podSpec).filter((c) => c.kind !== 'ephemeralContainer');
    const limited = (resource: string): boolean => containers.length > 0 && containers.every((c) => hasResource(c.container.resources, 'limits', resource));
    volumes.forEach((v, i) => {
      const dir = asRecord(asRecord(v)?.['emptyDir']);
      if (!dir || (dir['sizeLimit'] !== undefined && dir['sizeLimit'] !== null && dir['sizeLimit'] !== '')) return;
      const memory = dir['medium'] === 'Memory';
      if (limited(memory ? 'memory' : 'ephemeral-storage')) return;
      ctx.report(memory ? 'memory' : 'disk', { volume: String(asRecord(v)?.['name'] ?? i) }, `/volumes/${i}/emptyDir`);
    });
  },
});
