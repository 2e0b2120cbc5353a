import { defineControl } from '../../engine/types.js';
import { podContainers } from '../support/pod.js';

/** UIDs and GIDs below this may belong to users and groups of the host. */
const LOW = 10000;

export default defineControl({
  id: 'KOR-0754',
  name: 'run-as-low-uid',
  title: 'Container runs with a UID or GID the host may use',
  description:
    'Without user namespaces, a container process runs on the node with its own numeric UID and GID. Ids below 10000 are those of the host\'s system and regular users and groups: a process that escapes the container (or reads a hostPath or a shared volume) acts with the files and rights of that host account. An id of 10000 or more is unlikely to own anything on the node. UID 0 is judged by pss-run-as-user; pods with `hostUsers: false` (user namespaces) are not judged.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['non-root-containers'] },
  remediation: 'Run as a UID and GID of 10000 or more (`securityContext.runAsUser` / `runAsGroup`), matching the image\'s file ownership, or enable user namespaces with `hostUsers: false`.',
  messages: { low: '{{who}} runs with {{ids}}, below 10000: it may match a user or group of the host.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    if (podSpec.hostUsers === false) return;
    const containers = podContainers(podSpec);
    // one finding per security context: its low user and group ids are one fix
    const lowIds = (sc: Record<string, unknown> | undefined, applies: (field: 'runAsUser' | 'runAsGroup') => boolean): Array<[string, number]> =>
      (['runAsUser', 'runAsGroup'] as const).flatMap((field) => {
        const v = sc?.[field];
        return typeof v === 'number' && v > 0 && v < LOW && applies(field) ? [[field, v] as [string, number]] : [];
      });
    const say = (who: string, ids: Array<[string, number]>, base: string): void => {
      if (ids.length === 0) return;
      ctx.report('low', { who, ids: ids.map(([field, id]) => `${field} ${id}`).join(' and ') }, `${base}/securityContext/${ids[0]![0]}`);
    };
    // the pod's ids count where some container does not set its own
    say('Pod', lowIds(podSpec.securityContext as Record<string, unknown> | undefined, (field) => containers.some((c) => c.container.securityContext?.[field] === undefined)), '');
    for (const c of containers) say(`Container "${c.container.name}"`, lowIds(c.container.securityContext as Record<string, unknown> | undefined, () => true), c.pointer);
  },
});
