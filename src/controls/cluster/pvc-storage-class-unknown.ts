import { defineControl } from '../../engine/types.js';
import { podSpecOf } from '../../inventory/podspec.js';
import { asRecord } from '../support/workloads.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export default defineControl({
  id: 'KOR-0716',
  name: 'pvc-storage-class-unknown',
  title: 'Claim asks for a StorageClass the cluster does not have',
  description:
    'A PersistentVolumeClaim (or a StatefulSet volume claim template) naming a StorageClass that does not exist, or naming none where no class is marked default, stays Pending: its pod never starts. Judged only when the inputs hold the cluster\'s StorageClasses (a live cluster, a snapshot, or manifests that define at least one StorageClass); claims bound to a volume already, and claims with `storageClassName: ""` (static provisioning), are not judged.',
  layer: 'cluster',
  dimensions: ['Storage & Backup'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  supersedes: { object: ['KOR-0722'] },
  remediation: 'Name an existing StorageClass in `storageClassName`, or mark one class as the default (`storageclass.kubernetes.io/is-default-class: "true"`).',
  messages: {
    unknown: '{{what}} asks for StorageClass "{{class}}", which is not in the cluster: the claim stays Pending.',
    noDefault: '{{what}} names no StorageClass and no class is marked default: the claim stays Pending.',
  },
  targets: 'object',
  kinds: ['PersistentVolumeClaim', 'StatefulSet'],
  check(object, ctx) {
    const classes = ctx.inventory.byKind('StorageClass');
    if (classes.length === 0) return;
    const names = new Set(classes.map((c) => c.object.metadata.name));
    const hasDefault = classes.some((c) => DEFAULT_ANNOTATIONS.some((a) => c.object.metadata.annotations?.[a] === 'true'));
    const judge = (spec: Record<string, unknown> | undefined, what: string, pointer: string): void => {
      if (!spec || spec['volumeName']) return;
      const cls = spec['storageClassName'];
      if (cls === '') return;
      if (typeof cls === 'string') {
        if (!names.has(cls)) ctx.report('unknown', { what, class: cls }, `${pointer}/storageClassName`);
      } else if (cls === undefined && !hasDefault) ctx.report('noDefault', { what }, pointer);
    };
    if (object.kind === 'PersistentVolumeClaim') {
      if (asRecord(object['status'])?.['phase'] === 'Bound') return;
      judge(asRecord(object['spec']), `PersistentVolumeClaim "${object.metadata.name ?? ''}"`, '/spec');
      return;
    }
    if (!podSpecOf(object)) return;
    const templates = asRecord(object['spec'])?.['volumeClaimTemplates'];
    if (!Array.isArray(templates)) return;
    templates.forEach((t, i) => {
      const name = asRecord(asRecord(t)?.['metadata'])?.['name'];
      judge(asRecord(asRecord(t)?.['spec']), `StatefulSet "${object.metadata.name ?? ''}" claim template "${String(name ?? i)}"`, `/spec/volumeClaimTemplates/${i}/spec`);
    });
  },
});
