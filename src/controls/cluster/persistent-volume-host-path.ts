import { defineControl } from '../../engine/types.js';
import { hostPathRisk } from '../support/host-path-risk.js';

export default defineControl({
  id: 'KOR-0116',
  name: 'persistent-volume-host-path',
  title: 'PersistentVolume backed by a host path',
  description:
    'A PersistentVolume of type `hostPath` hands a node directory to any pod that binds its claim. Pod Security Admission and most policies judge only the pod\'s own volumes, so a pod in a namespace enforcing `baseline` or `restricted` still gets host filesystem access through a PersistentVolumeClaim. hostPath PVs are meant for single-node testing; `local` volumes with node affinity are the supported alternative. High when the path is one KOR-0123 calls sensitive (judged as a writable mount), medium for other directories (node storage that outlives the pod, can fill the node\'s disk, and is shared with whatever else uses the path).',
  layer: 'cluster',
  dimensions: ['Security', 'Storage & Backup'],
  guard: 'admission',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611'] },
  remediation: 'Use a storage class backed by a CSI driver or `local` volumes instead of hostPath PersistentVolumes.',
  messages: {
    hostPath: 'PersistentVolume "{{name}}" exposes host path "{{path}}" to whichever pod claims it.',
    sensitive: 'PersistentVolume "{{name}}" exposes host path "{{path}}" to whichever pod claims it, and with it {{exposed}}.',
  },
  severityTable: [
    { case: 'a path KOR-0123 judges (/, /etc, /var/lib/kubelet, ...)', severity: 'high', reason: 'Any pod of any namespace that binds the claim writes the node\'s sensitive files, past Pod Security admission.' },
    { case: 'any other host directory', severity: 'medium', reason: 'Node storage outside scheduling and quotas: it fills the node\'s disk and is shared with whatever else uses the path.' },
  ],
  targets: 'object',
  kinds: ['PersistentVolume'],
  check(object, ctx) {
    const hp = (object['spec'] as { hostPath?: { path?: string } } | undefined)?.hostPath;
    if (!hp || typeof hp !== 'object') return;
    const path = typeof hp.path === 'string' ? hp.path : '';
    const risk = path ? hostPathRisk(path, typeof (hp as { type?: unknown }).type === 'string' ? (hp as { type: string }).type : undefined, false) : undefined;
    if (risk) ctx.report('sensitive', { name: object.metadata.name ?? '', path, exposed: risk.exposed }, '/spec/hostPath');
    else ctx.report('hostPath', { name: object.metadata.name ?? '', path }, '/spec/hostPath', { severity: 'medium' });
  },
  cel: { expression: '!has(object.spec.hostPath)', message: 'PersistentVolumes must not use hostPath.' },
});
