import { pssControl } from '../../frameworks/pss/control.js';
import { celAllContainers, celHas, withCel } from '../support/cel.js';

/** Pod Security Standards `procMount_restricted`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0019',
  name: 'pss-proc-mount-restricted',
  check: 'procMount_restricted',
  title: 'Container unmasks /proc (restricted)',
  description:
    'The Pod Security Standards restricted level (v1.35+) requires the Default proc mount for every container, even in pods with their own user namespace, where baseline relaxes the rule.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
}), {
  expression: celAllContainers(`!(${celHas('c', ['securityContext', 'procMount'])}) || c.securityContext.procMount == 'Default'`),
  message: 'Containers must keep the default /proc mount.',
});
