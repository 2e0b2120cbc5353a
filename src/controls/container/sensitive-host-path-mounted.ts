import { defineControl } from '../../engine/types.js';
import { normalizeHostPath } from '../support/host-paths.js';
import { hostPathVolumes, mountedReadOnly, readByNonRootOnly } from '../support/host-path-volumes.js';
import { HOST_PATH_SEVERITY_TABLE, hostPathRisk } from '../support/host-path-risk.js';

export default defineControl({
  id: 'KOR-0123',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121', 'KOR-0124'] },
  name: 'sensitive-host-path-mounted',
  title: 'Sensitive host directory mounted',
  description:
    'A hostPath volume of the host root, of /etc, /root, /home, /proc, /sys, /dev, /boot, the kubelet, container runtime or etcd state directories, or the CNI plugin binaries (or of a parent of one of them, such as /var) hands the container the node\'s credentials and configuration: kubelet client certificates, service account tokens of every pod on the node, SSH keys, the shadow file, other containers\' filesystems. Writable, it is a direct path to root on the node (cron files, binaries, kernel settings). Each mount is graded by what its path gives (table below), whether it is one file (`type: File`, or a known file such as /etc/passwd) or a directory, and whether every container mounts it read-only: a read-only /etc/localtime or /etc/passwd is not reported, a read-only /proc is medium, a writable /etc critical. A read-only mount read only by non-root users (runAsUser > 0 or runAsNonRoot, unprivileged, no file-access capabilities) is one step lower: the node\'s keys and credentials are readable by root only.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611', 'T1552.001'] },
  remediation: 'Remove the hostPath volume; if a node agent truly needs host files, mount the narrowest file read-only and run it in a dedicated, tightly controlled namespace.',
  messages: {
    root: 'Volume "{{volume}}" mounts the host root filesystem "/" {{access}}, exposing among others {{exposed}}.',
    sensitive: 'Volume "{{volume}}" mounts host path "{{path}}" {{access}}, exposing {{exposed}}.',
  },
  severityTable: HOST_PATH_SEVERITY_TABLE,
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      const readOnly = mountedReadOnly(v);
      const nonRoot = readOnly && readByNonRootOnly(v);
      const risk = hostPathRisk(v.path, v.type, readOnly, nonRoot);
      if (!risk) continue;
      const access = readOnly ? (nonRoot ? 'read-only for a non-root user' : 'read-only') : 'writable';
      if (normalizeHostPath(v.path) === '/') ctx.report('root', { volume: v.name, access, exposed: risk.exposed }, v.pointer, { severity: risk.severity });
      else ctx.report('sensitive', { volume: v.name, path: v.path, access, exposed: risk.exposed }, v.pointer, { severity: risk.severity });
    }
  },
});
