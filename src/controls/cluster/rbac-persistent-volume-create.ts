import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0218',
  name: 'rbac-persistent-volume-create',
  title: 'Persistent volumes can be created',
  description:
    'Creating PersistentVolumes lets a subject define a hostPath volume on any node path and claim it into a pod, reading or writing the node\'s file system.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.9'], mitre: ['T1611'] },
  remediation: 'Provision volumes through StorageClasses; keep create on persistentvolumes for storage administrators.',
  capability: CAPABILITIES.createPersistentVolumes,
});
