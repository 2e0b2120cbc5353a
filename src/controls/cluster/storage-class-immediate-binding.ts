import { defineControl } from '../../engine/types.js';
import { workerNodes, zoneOf } from '../support/nodes.js';

/** Provisioners of zonal block storage: a volume lives in one zone and only pods there can use it. */
const ZONAL = new Set(['ebs.csi.aws.com', 'kubernetes.io/aws-ebs', 'pd.csi.storage.gke.io', 'kubernetes.io/gce-pd', 'disk.csi.azure.com', 'kubernetes.io/azure-disk', 'cinder.csi.openstack.org', 'kubernetes.io/cinder', 'csi.vsphere.vmware.com', 'diskplugin.csi.alibabacloud.com', 'dobs.csi.digitalocean.com', 'csi.hetzner.cloud', 'blockvolume.csi.oraclecloud.com']);

export default defineControl({
  id: 'KOR-0783',
  name: 'storage-class-immediate-binding',
  title: 'Zonal StorageClass binds volumes before the pod is scheduled',
  description:
    'With `volumeBindingMode: Immediate` (the default) a claim is provisioned as soon as it is created, in a zone chosen without regard to where its pod can run; a zonal block volume (EBS, Persistent Disk, Azure Disk, Cinder, vSphere ...) then pins the pod to that zone, and when the zone has no room or the pod\'s affinity excludes it, the pod stays Pending for good. `WaitForFirstConsumer` provisions the volume where the scheduler places the pod. Judged for the zonal provisioners kordon knows, unless the class restricts itself to one zone (`allowedTopologies`) or the inputs\' nodes are all in one zone.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Set `volumeBindingMode: WaitForFirstConsumer` on the StorageClass (a new class: the field cannot be changed on an existing one), and move claims to it.',
  messages: { immediate: 'StorageClass "{{name}}" ({{provisioner}}) binds zonal volumes immediately: claims may be provisioned in a zone their pods cannot run in.' },
  targets: 'object',
  kinds: ['StorageClass'],
  check(object, ctx) {
    const provisioner = object['provisioner'];
    if (typeof provisioner !== 'string' || !ZONAL.has(provisioner)) return;
    const mode = object['volumeBindingMode'];
    if (mode !== undefined && mode !== 'Immediate') return;
    if (Array.isArray(object['allowedTopologies']) && object['allowedTopologies'].length > 0) return;
    const zones = new Set(workerNodes(ctx.inventory).map(zoneOf).filter((z): z is string => z !== undefined));
    if (zones.size === 1) return;
    ctx.report('immediate', { name: object.metadata.name ?? '', provisioner }, mode === undefined ? '/provisioner' : '/volumeBindingMode');
  },
});
