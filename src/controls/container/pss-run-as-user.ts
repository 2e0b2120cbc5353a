import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_USER_NAMESPACE, POD_SPEC, celAllContainers, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `runAsUser`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0016',
  name: 'pss-run-as-user',
  check: 'runAsUser',
  title: 'Pod or container runs as UID 0',
  description:
    '`runAsUser: 0` runs the container\'s processes as root. The Pod Security Standards restricted level (v1.23+) forbids it on the pod and on every container (pods with `hostUsers: false` are exempt from v1.35).',
  severity: 'medium',
  effort: 'low',
  frameworks: { nsa: ['non-root-containers', 'pod-security-enforcement'], cis: ['5.2.7'], mitre: ['T1611'] },
  remediation: 'Set `runAsUser` to a non-zero UID (or remove it and rely on a non-root image user with `runAsNonRoot: true`).',
}), {
  expression: `${CEL_USER_NAMESPACE} || (!${celIs(POD_SPEC, ['securityContext', 'runAsUser'], '0')} && ${celAllContainers(`!${celIs('c', ['securityContext', 'runAsUser'], '0')}`)})`,
  message: 'Neither the pod nor a container may set runAsUser=0.',
});
