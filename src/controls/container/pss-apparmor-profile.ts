import { pssControl } from '../../frameworks/pss/control.js';

/** Pod Security Standards `appArmorProfile`, at the latest version's rules. */
export default pssControl({
  id: 'KOR-0008',
  name: 'pss-apparmor-profile',
  check: 'appArmorProfile',
  title: 'AppArmor turned off or overridden',
  description:
    'The runtime\'s default AppArmor profile confines what a container may do on supporting nodes. Setting the profile type to Unconfined (by `securityContext.appArmorProfile` or the deprecated `container.apparmor.security.beta.kubernetes.io/*` annotations) turns that confinement off. The Pod Security Standards baseline allows only RuntimeDefault and Localhost profiles.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611'] },
  remediation: 'Use `securityContext.appArmorProfile.type: RuntimeDefault` (or a Localhost profile) and remove unconfined AppArmor annotations.',
});
