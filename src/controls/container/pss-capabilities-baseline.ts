import { pssControl } from '../../frameworks/pss/control.js';
import { celAllContainers, celHas, celStrings, withCel } from '../support/cel.js';
import { DEFAULT_CAPABILITIES } from '../../frameworks/pss/checks/capabilities-baseline.js';

/** Pod Security Standards `capabilities_baseline`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0004',
  supersedes: { field: ['KOR-0018'] },
  name: 'pss-capabilities-baseline',
  check: 'capabilities_baseline',
  title: 'Container adds a capability outside the default set',
  description:
    'Container runtimes grant a small default set of Linux capabilities. Adding others (NET_RAW, NET_ADMIN, SYS_ADMIN, SYS_PTRACE, ...) widens the kernel attack surface and opens known escape paths. The Pod Security Standards baseline allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT. This is the compliance finding (medium); what a given capability gives is graded by KOR-0126.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.9'], mitre: ['T1611'] },
  remediation: 'Remove the capabilities outside the default set from `securityContext.capabilities.add`.',
}), {
  expression: celAllContainers(`!(${celHas('c', ['securityContext', 'capabilities', 'add'])}) || c.securityContext.capabilities.add.all(x, x in ${celStrings([...DEFAULT_CAPABILITIES])})`),
  message: "Containers may add only capabilities of the container runtime's default set.",
});
