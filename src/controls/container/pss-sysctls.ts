import { pssControl } from '../../frameworks/pss/control.js';
import { POD_SPEC, celHas, celStrings, withCel } from '../support/cel.js';
import { SAFE_SYSCTLS_1_37 } from '../../frameworks/pss/checks/sysctls.js';

/** Pod Security Standards `sysctls`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0012',
  name: 'pss-sysctls',
  check: 'sysctls',
  title: 'Pod sets an unsafe sysctl',
  description:
    'Sysctls outside the namespaced, isolated safe set can affect every pod on the node or disable security mechanisms. The Pod Security Standards baseline allows only the safe sysctls (the list grows by version).',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Remove the sysctls outside the safe set from `securityContext.sysctls`, or configure them on the nodes.',
}), {
  expression: `!(${celHas(POD_SPEC, ['securityContext', 'sysctls'])}) || ${POD_SPEC}.securityContext.sysctls.all(s, s.name in ${celStrings([...SAFE_SYSCTLS_1_37])})`,
  message: 'Pods may set only the safe (namespaced, isolated) sysctls.',
});
