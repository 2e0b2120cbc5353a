import { pssControl } from '../../frameworks/pss/control.js';
import { POD_SPEC, withCel } from '../support/cel.js';
import { ALLOWED_VOLUME_TYPES, RESTRICTED_VOLUME_TYPES } from '../../frameworks/pss/checks/restricted-volumes.js';

/** Pod Security Standards `restrictedVolumes`, at the latest version's rules. */
export default withCel(pssControl({
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
}), {
  expression: `!has(${POD_SPEC}.volumes) || ${POD_SPEC}.volumes.all(v, ${ALLOWED_VOLUME_TYPES.map((t) => `has(v.${t})`).join(' || ')} || !(${RESTRICTED_VOLUME_TYPES.map((t) => `has(v.${t})`).join(' || ')}))`,
  message: 'Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
});
