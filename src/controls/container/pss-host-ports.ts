import { pssControl } from '../../frameworks/pss/control.js';
import { celAllContainers, withCel } from '../support/cel.js';

/** Pod Security Standards `hostPorts`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0006',
  name: 'pss-host-ports',
  check: 'hostPorts',
  title: 'Container binds a host port',
  description:
    'A hostPort opens the port on the node\'s address, bypassing Services and most NetworkPolicy implementations, and pins the pod to nodes where the port is free. The Pod Security Standards baseline forbids host ports.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.13'], mitre: ['T1133'] },
  remediation: 'Remove `hostPort` from the container ports and expose the workload through a Service.',
}), {
  expression: celAllContainers('!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)'),
  message: 'Containers must not bind host ports.',
});
