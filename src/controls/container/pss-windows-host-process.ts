import { pssControl } from '../../frameworks/pss/control.js';
import { POD_SPEC, celAllContainers, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `windowsHostProcess`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0001',
  name: 'pss-windows-host-process',
  check: 'windowsHostProcess',
  title: 'Windows HostProcess pod or container',
  description:
    'A Windows HostProcess container runs directly on the node as a host process, with the node\'s file system, network and privileges: it is not isolated at all. The Pod Security Standards baseline forbids `securityContext.windowsOptions.hostProcess: true` on the pod and on every container.',
  severity: 'critical',
  effort: 'medium',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.11'], mitre: ['T1611'] },
  remediation: 'Remove `securityContext.windowsOptions.hostProcess` (or set it to false) on the pod and its containers; run node administration through a dedicated, separately controlled namespace.',
}), {
  expression: `!${celIs(POD_SPEC, ['securityContext', 'windowsOptions', 'hostProcess'], 'true')} && ${celAllContainers(`!${celIs('c', ['securityContext', 'windowsOptions', 'hostProcess'], 'true')}`)}`,
  message: 'Pods and containers must not set securityContext.windowsOptions.hostProcess=true.',
});
