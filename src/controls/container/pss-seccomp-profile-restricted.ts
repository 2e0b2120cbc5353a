import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_SECCOMP_EXPLICIT_VALID, CEL_WINDOWS_POD, celAllContainers, celHas, POD_SPEC, withCel } from '../support/cel.js';

/** Pod Security Standards `seccompProfile_restricted`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0017',
  name: 'pss-seccomp-profile-restricted',
  check: 'seccompProfile_restricted',
  title: 'Seccomp profile not set to RuntimeDefault or Localhost',
  description:
    'Without an explicit seccomp profile most runtimes run containers unconfined, exposing the whole kernel syscall surface. The Pod Security Standards restricted level requires RuntimeDefault or Localhost on the pod or on every container (Windows pods are exempt from v1.25).',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.7.2'], mitre: ['T1611'] },
  remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or a Localhost profile).',
}), {
  expression: `${CEL_WINDOWS_POD} || (${CEL_SECCOMP_EXPLICIT_VALID} && (${celHas(POD_SPEC, ['securityContext', 'seccompProfile'])} || ${celAllContainers(celHas('c', ['securityContext', 'seccompProfile']))}))`,
  message: 'The pod or every container must set a seccomp profile of type RuntimeDefault or Localhost.',
});
