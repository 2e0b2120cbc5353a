import { defineControl } from '../../engine/types.js';
import { CEL_WINDOWS_POD, celAllContainers, celIs } from '../support/cel.js';
import { CONTAINER_KIND_LABEL, setSecurityContextField } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0107',
  name: 'root-filesystem-writable',
  title: 'Container root filesystem is writable',
  description:
    'Unless `securityContext.readOnlyRootFilesystem` is true, a process in the container can write to the image filesystem: an attacker who gets code execution can drop tools, tamper with binaries or configuration the application trusts, and persist until the container restarts. Writable paths the application needs belong on `emptyDir` or other volumes.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  fixable: true,
  frameworks: { nsa: ['immutable-container-filesystems'], cis: ['5.7.3'], mitre: ['T1525', 'T1105'] },
  remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` volume on each path the application writes (for example /tmp).',
  messages: { writable: '{{kind}} "{{name}}" has a writable root filesystem (readOnlyRootFilesystem is not true).' },
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    if (podSpec.os?.name === 'windows') return; // not supported on Windows
    const sc = container.securityContext && typeof container.securityContext === 'object' ? container.securityContext : undefined;
    if (sc?.readOnlyRootFilesystem === true) return;
    const pointer = sc && 'readOnlyRootFilesystem' in sc ? '/securityContext/readOnlyRootFilesystem' : sc ? '/securityContext' : '';
    ctx.report('writable', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name }, pointer, {
      fix: [setSecurityContextField(sc, 'readOnlyRootFilesystem', true)],
    });
  },
  cel: {
    expression: `${CEL_WINDOWS_POD} || ${celAllContainers(celIs('c', ['securityContext', 'readOnlyRootFilesystem'], 'true'))}`,
    message: 'Every container must set securityContext.readOnlyRootFilesystem to true.',
  },
});
