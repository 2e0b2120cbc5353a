import { defineControl } from '../../engine/types.js';

export default defineControl({
  id: 'KOR-0116',
  name: 'persistent-volume-host-path',
  title: 'PersistentVolume backed by a host path',
  description:
    'A PersistentVolume of type `hostPath` hands a node directory to any pod that binds its claim. Pod Security Admission and most policies judge only the pod\'s own volumes, so a pod in a namespace enforcing `baseline` or `restricted` still gets host filesystem access through a PersistentVolumeClaim. hostPath PVs are meant for single-node testing; `local` volumes with node affinity are the supported alternative.',
  layer: 'cluster',
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611'] },
  remediation: 'Use a storage class backed by a CSI driver or `local` volumes instead of hostPath PersistentVolumes.',
  messages: { hostPath: 'PersistentVolume "{{name}}" exposes host path "{{path}}" to whichever pod claims it.' },
  targets: 'object',
  kinds: ['PersistentVolume'],
  check(object, ctx) {
    const hp = (object['spec'] as { hostPath?: { path?: string } } | undefined)?.hostPath;
    if (!hp || typeof hp !== 'object') return;
    ctx.report('hostPath', { name: object.metadata.name ?? '', path: hp.path ?? '' }, '/spec/hostPath');
  },
  cel: { expression: '!has(object.spec.hostPath)', message: 'PersistentVolumes must not use hostPath.' },
});
