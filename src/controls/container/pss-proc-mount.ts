import { pssControl } from '../../frameworks/pss/control.js';
import { CEL_USER_NAMESPACE, celAllContainers, celHas, withCel } from '../support/cel.js';

/** Pod Security Standards `procMount`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0010',
  supersedes: { field: ['KOR-0019'] },
  name: 'pss-proc-mount',
  check: 'procMount',
  title: 'Container unmasks /proc',
  description:
    '`procMount: Unmasked` removes the masks that hide sensitive kernel interfaces under /proc from the container. The Pod Security Standards baseline requires the Default proc mount, except (from v1.35) for pods in their own user namespace (`hostUsers: false`).',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Remove `securityContext.procMount` or set it to `Default` (or run the pod with `hostUsers: false`).',
}), {
  expression: `${CEL_USER_NAMESPACE} || ${celAllContainers(`!(${celHas('c', ['securityContext', 'procMount'])}) || c.securityContext.procMount == 'Default'`)}`,
  message: 'Containers must keep the default /proc mount (unless the pod runs in a user namespace).',
});
