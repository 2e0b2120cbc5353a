/** The Pod Security Standards controls (baseline and restricted), one per upstream check. */
import type { Control } from '../engine/types.js';
import pssWindowsHostProcess from './container/pss-windows-host-process.js';
import pssHostNamespaces from './container/pss-host-namespaces.js';
import pssPrivileged from './container/pss-privileged.js';
import pssCapabilitiesBaseline from './container/pss-capabilities-baseline.js';
import pssHostPathVolumes from './container/pss-host-path-volumes.js';
import pssHostPorts from './container/pss-host-ports.js';
import pssHostProbesAndLifecycle from './container/pss-host-probes-and-lifecycle.js';
import pssApparmorProfile from './container/pss-apparmor-profile.js';
import pssSelinuxOptions from './container/pss-selinux-options.js';
import pssProcMount from './container/pss-proc-mount.js';
import pssSeccompProfileBaseline from './container/pss-seccomp-profile-baseline.js';
import pssSysctls from './container/pss-sysctls.js';
import pssRestrictedVolumes from './container/pss-restricted-volumes.js';
import pssAllowPrivilegeEscalation from './container/pss-allow-privilege-escalation.js';
import pssRunAsNonRoot from './container/pss-run-as-non-root.js';
import pssRunAsUser from './container/pss-run-as-user.js';
import pssSeccompProfileRestricted from './container/pss-seccomp-profile-restricted.js';
import pssCapabilitiesRestricted from './container/pss-capabilities-restricted.js';
import pssProcMountRestricted from './container/pss-proc-mount-restricted.js';

export const pssControls: readonly Control[] = [
  pssWindowsHostProcess,
  pssHostNamespaces,
  pssPrivileged,
  pssCapabilitiesBaseline,
  pssHostPathVolumes,
  pssHostPorts,
  pssHostProbesAndLifecycle,
  pssApparmorProfile,
  pssSelinuxOptions,
  pssProcMount,
  pssSeccompProfileBaseline,
  pssSysctls,
  pssRestrictedVolumes,
  pssAllowPrivilegeEscalation,
  pssRunAsNonRoot,
  pssRunAsUser,
  pssSeccompProfileRestricted,
  pssCapabilitiesRestricted,
  pssProcMountRestricted,
];
