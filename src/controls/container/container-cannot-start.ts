import { defineControl } from '../../engine/types.js';
import { containerStatuses } from '../support/pod-status.js';

const REASONS: Record<string, string> = {
  ImagePullBackOff: 'its image cannot be pulled',
  ErrImagePull: 'its image cannot be pulled',
  ErrImageNeverPull: 'its image is not on the node and is never pulled',
  InvalidImageName: 'its image reference is invalid',
  CreateContainerConfigError: 'a ConfigMap, Secret or key it needs is missing',
  CreateContainerError: 'the runtime cannot create it',
  RunContainerError: 'the runtime cannot start it',
};

export default defineControl({
  id: 'KOR-0804',
  name: 'container-cannot-start',
  title: 'Container cannot start',
  description:
    'A container waiting with reason ImagePullBackOff, ErrImagePull, ErrImageNeverPull, InvalidImageName, CreateContainerConfigError, CreateContainerError or RunContainerError never ran: the image cannot be pulled (a wrong tag, a missing pull secret, a registry rate limit), or a ConfigMap, Secret or key it needs is absent. The pod counts against the workload\'s replicas without serving. Judged on pods read with their status from a cluster or a snapshot (crash loops of containers that did start are KOR-0737).',
  layer: 'container',
  dimensions: ['Monitoring & Health Checks', 'Applications'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Read the pod\'s events (`kubectl describe pod`): fix the image reference or the pull secret, or create the missing ConfigMap, Secret or key.',
  messages: { waiting: 'Container "{{name}}" of Pod "{{pod}}" cannot start ({{reason}}): {{why}}.' },
  targets: 'object',
  kinds: ['Pod'],
  check(object, ctx) {
    for (const s of containerStatuses(object)) {
      const why = s.waitingReason !== undefined ? REASONS[s.waitingReason] : undefined;
      if (!why) continue;
      ctx.report('waiting', { name: s.name, pod: object.metadata.name ?? '', reason: s.waitingReason!, why }, `${s.pointer}/state/waiting/reason`);
    }
  },
});
