import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_SECCOMP_EXPLICIT_VALID, withCel } from '../support/cel.js';

/** Pod Security Standards `seccompProfile_baseline`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0011',
  supersedes: { field: ['KOR-0017'] },
  name: 'pss-seccomp-profile-baseline',
  check: 'seccompProfile_baseline',
  title: 'Seccomp turned off',
  description:
    'Seccomp filters the system calls a container may make; an Unconfined profile exposes the whole kernel syscall surface. The Pod Security Standards baseline allows only the RuntimeDefault and Localhost seccomp profiles when one is set.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.7.2'], mitre: ['T1611'] },
  remediation: 'Set `securityContext.seccompProfile.type` to `RuntimeDefault` (or a Localhost profile) instead of Unconfined.',
}), {
  expression: `${CEL_SECCOMP_EXPLICIT_VALID}`,
  message: 'Seccomp profiles set on the pod or a container must be RuntimeDefault or Localhost.',
});
