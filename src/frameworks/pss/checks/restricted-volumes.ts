/**
 * restricted `restrictedVolumes`: only ephemeral, projected and claim-backed volume types
 * (v1.0+, replacing hostPathVolumes).
 */
import { isSet, list, pointerOf, rec, str } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

export const ALLOWED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** The other volume sources, in the order the admission plugin names them. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'storageos',
];

function restrictedVolumes_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const types: string[] = [];
  const locations: PssLocation[] = [];
  list(podSpec['volumes']).forEach((v, i) => {
    const volume = rec(v) ?? {};
    if (ALLOWED_VOLUME_TYPES.some((t) => isSet(volume[t]))) return;
    const type = RESTRICTED_VOLUME_TYPES.find((t) => isSet(volume[t]));
    // A volume without any source is defaulted to emptyDir by the API server before admission sees it.
    if (type === undefined) return;
    const name = str(volume['name']);
    bad.push(name);
    types.push(type);
    locations.push({ scope: 'podSpec', pointer: pointerOf('', 'volumes', i, type), message: `Volume "${name}" uses the restricted volume type ${type}.` });
  });
  if (bad.length === 0) return allowedOutcome();
  const typeList = sortedUnique(types);
  return {
    allowed: false,
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', typeList.length)} ${joinQuote(typeList)}`,
    locations,
  };
}

export const restrictedVolumesCheck: PssCheckDefinition = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume types',
  versions: [{ minMinor: 0, check: restrictedVolumes_1_0, overrides: ['hostPathVolumes'] }],
};
