import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_USER_NAMESPACE, POD_SPEC, celAllContainers, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `runAsNonRoot`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0015',
  name: 'pss-run-as-non-root',
  check: 'runAsNonRoot',
  title: 'Containers may run as root',
  description:
    'Without `runAsNonRoot: true`, a container runs as whatever user its image says, often root, so any compromise starts as root inside the container. The Pod Security Standards restricted level requires runAsNonRoot=true on the pod or on every container (pods with `hostUsers: false` are exempt from v1.35).',
  severity: 'medium',
  effort: 'medium',
  fixable: true,
  frameworks: { nsa: ['non-root-containers', 'pod-security-enforcement'], cis: ['5.2.7'], mitre: ['T1611'] },
  remediation: 'Set `securityContext.runAsNonRoot: true` on the pod (and do not set it to false on containers); build images with a non-root USER.',
}), {
  expression: `${CEL_USER_NAMESPACE} || (!${celIs(POD_SPEC, ['securityContext', 'runAsNonRoot'], 'false')} && ${celAllContainers(`!${celIs('c', ['securityContext', 'runAsNonRoot'], 'false')}`)} && (${celIs(POD_SPEC, ['securityContext', 'runAsNonRoot'], 'true')} || (${celAllContainers(celIs('c', ['securityContext', 'runAsNonRoot'], 'true'))})))`,
  message: 'The pod or every container must set securityContext.runAsNonRoot=true, and none may set it to false.',
});
