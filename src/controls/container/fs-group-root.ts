import { defineControl } from '../../engine/types.js';
import { isWindowsPod } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0118',
  name: 'fs-group-root',
  title: 'Pod adds the root group (GID 0) to its containers',
  description:
    'The pod-level `fsGroup` and `supplementalGroups` add groups to every container process. GID 0 gives the processes group-root access to every file owned by group root: most of the image filesystem and, through any hostPath mount, many host files. With `fsGroup: 0` the kubelet also makes the pod\'s volumes owned by group root.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['non-root-containers'], mitre: ['T1611'] },
  remediation: 'Set `fsGroup` to a non-zero GID and remove 0 from `supplementalGroups` in the pod securityContext.',
  messages: {
    fsGroup: 'The pod sets fsGroup: 0 (root group owns its volumes and joins every container).',
    supplementalGroup: 'The pod lists GID 0 (root) in supplementalGroups.',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (isWindowsPod(podSpec)) return;
    const sc = podSpec.securityContext;
    if (!sc) return;
    if (sc.fsGroup === 0) ctx.report('fsGroup', {}, '/securityContext/fsGroup');
    if (Array.isArray(sc.supplementalGroups)) {
      const zeros = sc.supplementalGroups.flatMap((g, i) => (g === 0 ? [i] : []));
      for (const i of zeros) {
        // A remove patch is only unambiguous when there is a single entry to remove.
        ctx.report('supplementalGroup', {}, `/securityContext/supplementalGroups/${i}`, zeros.length === 1 ? { fix: [{ op: 'remove', path: `/securityContext/supplementalGroups/${i}` }] } : {});
      }
    }
  },
  cel: {
    expression: '!has(variables.podSpec.securityContext) || ((!has(variables.podSpec.securityContext.fsGroup) || variables.podSpec.securityContext.fsGroup != 0) && (!has(variables.podSpec.securityContext.supplementalGroups) || !(0 in variables.podSpec.securityContext.supplementalGroups)))',
    message: 'Pods must not add the root group (fsGroup or supplementalGroups 0).',
  },
});
