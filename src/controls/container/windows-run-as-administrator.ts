import { defineControl } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, podContainers } from '../support/pod.js';

/** The Windows accounts with administrator rights in a container. */
function isAdministrator(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  const n = name.trim().toLowerCase();
  return n === 'containeradministrator' || n === 'nt authority\\system' || n === 'administrator';
}

function runAsUserName(sc: unknown): unknown {
  if (!sc || typeof sc !== 'object') return undefined;
  const w = (sc as { windowsOptions?: unknown }).windowsOptions;
  return w && typeof w === 'object' ? (w as { runAsUserName?: unknown }).runAsUserName : undefined;
}

export default defineControl({
  id: 'KOR-0158',
  name: 'windows-run-as-administrator',
  title: 'Windows container runs as an administrator account',
  description:
    '`windowsOptions.runAsUserName: ContainerAdministrator` (or `NT AUTHORITY\\SYSTEM`) runs a Windows container\'s processes with administrator rights inside the container: the Windows counterpart of running as root, which the Pod Security Standards do not judge for Windows pods. Code execution in the application then has full control of the container and the most leverage against the node\'s kernel; `ContainerUser` is the unprivileged account Windows base images provide.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['non-root-containers'], mitre: ['T1611'] },
  remediation: 'Set `securityContext.windowsOptions.runAsUserName: ContainerUser` (or a dedicated account) on the pod or the container, and give that account the file permissions the application needs.',
  messages: {
    pod: 'The pod runs its Windows containers as {{user}} (pod securityContext).',
    container: '{{kind}} "{{name}}" runs as {{user}}.',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    const podUser = runAsUserName(podSpec.securityContext);
    let inheritors = 0;
    for (const { container, kind, pointer } of podContainers(podSpec)) {
      const own = runAsUserName(container.securityContext);
      if (own !== undefined) {
        if (isAdministrator(own)) ctx.report('container', { kind: CONTAINER_KIND_LABEL[kind], name: container.name, user: own }, `${pointer}/securityContext/windowsOptions/runAsUserName`);
      } else inheritors++;
    }
    if (inheritors > 0 && isAdministrator(podUser)) ctx.report('pod', { user: podUser }, '/securityContext/windowsOptions/runAsUserName');
  },
});
