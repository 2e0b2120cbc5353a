import { pssControl } from '../../frameworks/pss/control.js';

/** Pod Security Standards `seLinuxOptions`, at the latest version's rules. */
export default pssControl({
  id: 'KOR-0009',
  name: 'pss-selinux-options',
  check: 'seLinuxOptions',
  title: 'Custom SELinux user, role or type',
  description:
    'SELinux labels decide what a container process may touch on SELinux nodes. A custom user or role, or a type other than the container types, can lift that confinement. The Pod Security Standards baseline allows only the types container_t, container_init_t, container_kvm_t and container_engine_t (v1.31+) and forbids setting user and role.',
  severity: 'medium',
  effort: 'medium',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and use one of the container SELinux types (or leave the type unset).',
});
