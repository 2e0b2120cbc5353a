import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { asRecord, declaredReplicas, hasController, hpasTargeting, hpaMax, specOf } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0760',
  name: 'rwo-claim-shared-by-replicas',
  title: 'ReadWriteOnce claim mounted by a Deployment that runs several pods',
  description:
    'A ReadWriteOnce volume attaches to one node at a time. A Deployment mounting such a claim with more than one replica (or an autoscaler allowing more), or rolling out with RollingUpdate (the new pod starts before the old one stops), gets pods stuck in ContainerCreating with "Multi-Attach error" whenever they land on another node: scaling and rollouts hang. Judged for claims in the inputs whose access modes are only ReadWriteOnce (or ReadWriteOncePod).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Scalability'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Use a StatefulSet with volume claim templates (one volume per pod), a ReadWriteMany volume, or run one replica with the Recreate strategy.',
  messages: {
    replicas: 'Deployment "{{name}}" may run {{replicas}} pods sharing ReadWriteOnce claim "{{claim}}": pods on other nodes cannot attach it.',
    rolling: 'Deployment "{{name}}" mounts ReadWriteOnce claim "{{claim}}" and rolls out with RollingUpdate: the new pod cannot attach it while the old one holds it on another node.',
  },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    if (hasController(object)) return;
    const ps = podSpecOf(object);
    if (!ps) return;
    const ns = ctx.inventory.namespaceOf(object) ?? 'default';
    const hpas = hpasTargeting(ctx.inventory, object);
    const most = Math.max(declaredReplicas(object), ...hpas.map((h) => hpaMax(h.object) ?? 1));
    const strategy = asRecord(specOf(object)['strategy'])?.['type'];
    const volumes = Array.isArray(ps.spec.volumes) ? ps.spec.volumes : [];
    volumes.forEach((v, i) => {
      const claim = asRecord(asRecord(v)?.['persistentVolumeClaim'])?.['claimName'];
      if (typeof claim !== 'string') return;
      const pvc = ctx.inventory.get('PersistentVolumeClaim', ns, claim);
      const modes = asRecord(pvc?.object['spec'])?.['accessModes'];
      if (!Array.isArray(modes) || modes.length === 0 || !modes.every((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod')) return;
      const pointer = `${ps.pointer}/volumes/${i}/persistentVolumeClaim/claimName`;
      if (most > 1) ctx.report('replicas', { name: object.metadata.name ?? '', replicas: most, claim }, pointer);
      else if (strategy !== 'Recreate' && declaredReplicas(object) > 0) ctx.report('rolling', { name: object.metadata.name ?? '', claim }, pointer);
    });
  },
});
