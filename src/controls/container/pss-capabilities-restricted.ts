import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_WINDOWS_POD, celAllContainers, celHas, withCel } from '../support/cel.js';

/** Pod Security Standards `capabilities_restricted`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0018',
  name: 'pss-capabilities-restricted',
  check: 'capabilities_restricted',
  title: 'Capabilities not dropped',
  description:
    'The default capability set still includes powers most applications never use (NET_RAW for packet spoofing, DAC_OVERRIDE, SETUID, ...). The Pod Security Standards restricted level requires every container to drop ALL capabilities and allows adding back only NET_BIND_SERVICE (Windows pods are exempt from v1.25).',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.8', '5.2.9', '5.2.10'], mitre: ['T1611'] },
  remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` on every container and add back at most NET_BIND_SERVICE.',
}), {
  expression: `${CEL_WINDOWS_POD} || ${celAllContainers(`(${celHas('c', ['securityContext', 'capabilities', 'drop'])} && 'ALL' in c.securityContext.capabilities.drop) && (!(${celHas('c', ['securityContext', 'capabilities', 'add'])}) || c.securityContext.capabilities.add.all(x, x == 'NET_BIND_SERVICE'))`)}`,
  message: 'Containers must drop ALL capabilities and may add only NET_BIND_SERVICE.',
});
