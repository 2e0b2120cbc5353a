import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_WINDOWS_POD, celAllContainers, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `allowPrivilegeEscalation`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0014',
  name: 'pss-allow-privilege-escalation',
  check: 'allowPrivilegeEscalation',
  title: 'Privilege escalation not disabled',
  description:
    'Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its parent (setuid binaries, file capabilities). The Pod Security Standards restricted level requires every container to set it to false (Windows pods are exempt from v1.25). Medium, like the other restricted-level hardening checks: it matters for non-root processes that can reach setuid binaries, not as an escape by itself.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.6'], mitre: ['T1548'] },
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
}), {
  expression: `${CEL_WINDOWS_POD} || ${celAllContainers(celIs('c', ['securityContext', 'allowPrivilegeEscalation'], 'false'))}`,
  message: 'Containers must set securityContext.allowPrivilegeEscalation=false.',
});
