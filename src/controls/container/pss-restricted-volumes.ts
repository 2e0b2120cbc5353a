import { pssControl } from '../../frameworks/pss/control.js';

/** Pod Security Standards `restrictedVolumes`, at the latest version's rules. */
export default pssControl({
  id: 'KOR-0013',
  name: 'pss-restricted-volumes',
  check: 'restrictedVolumes',
  title: 'Volume type outside the restricted set',
  description:
    'The Pod Security Standards restricted level allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes: network and host volume types are mounted with node credentials and bypass the storage layer\'s access control.',
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'] },
  remediation: 'Replace the volume with an allowed type, typically a PersistentVolumeClaim bound to a PersistentVolume of the needed type.',
});
