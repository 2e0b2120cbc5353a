import { pssControl } from '../../frameworks/pss/control.js';
import { celAllContainers, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `privileged`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0003',
  name: 'pss-privileged',
  check: 'privileged',
  title: 'Privileged container',
  description:
    'A privileged container has every capability, all host devices and no seccomp or AppArmor confinement: gaining root in it is gaining root on the node. The Pod Security Standards baseline forbids `securityContext.privileged: true` in every container, init and ephemeral containers included.',
  severity: 'critical',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.2'], mitre: ['T1611', 'T1610'] },
  remediation: 'Remove `securityContext.privileged` (or set it to false) and grant only the specific capabilities or devices the workload needs.',
}), {
  expression: celAllContainers(`!${celIs('c', ['securityContext', 'privileged'], 'true')}`),
  message: 'Containers must not set securityContext.privileged=true.',
});
