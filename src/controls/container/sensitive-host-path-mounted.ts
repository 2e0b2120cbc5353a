import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath, normalizeHostPath } from '../support/host-paths.js';
import { hostPathVolumes } from '../support/host-path-volumes.js';

/** Host directories whose content gives control of (or secrets of) the node. */
const SENSITIVE_PATHS: readonly string[] = [
  '/etc', '/root', '/home', '/proc', '/sys', '/dev', '/boot',
  '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/crio', '/var/lib/etcd', '/var/lib/rancher',
  '/opt/cni/bin',
];

export default defineControl({
  id: 'KOR-0123',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121', 'KOR-0124'] },
  name: 'sensitive-host-path-mounted',
  title: 'Sensitive host directory mounted',
  description:
    'A hostPath volume of the host root, of /etc, /root, /home, /proc, /sys, /dev, /boot, the kubelet, container runtime or etcd state directories, or the CNI plugin binaries (or of a parent of one of them, such as /var) hands the container the node\'s credentials and configuration: kubelet client certificates, service account tokens of every pod on the node, SSH keys, the shadow file, other containers\' filesystems. Writable, it is a direct path to root on the node (cron files, binaries, kernel settings).',
  layer: 'container',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611', 'T1552.001'] },
  remediation: 'Remove the hostPath volume; if a node agent truly needs host files, mount the narrowest file read-only and run it in a dedicated, tightly controlled namespace.',
  messages: {
    root: 'Volume "{{volume}}" mounts the host root filesystem "/".',
    sensitive: 'Volume "{{volume}}" mounts host path "{{path}}", exposing {{exposed}}.',
  },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      const p = normalizeHostPath(v.path);
      if (p === '/') {
        ctx.report('root', { volume: v.name }, v.pointer);
        continue;
      }
      const exposed = exposedSensitivePath(p, SENSITIVE_PATHS);
      if (exposed) ctx.report('sensitive', { volume: v.name, path: v.path, exposed }, v.pointer);
    }
  },
});
