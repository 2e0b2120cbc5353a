import { defineControl } from '../../engine/types.js';
import { exposedSensitivePath, normalizeHostPath, RUNTIME_SOCKETS } from '../support/host-paths.js';
import { hostPathVolumes } from '../support/host-path-volumes.js';

export default defineControl({
  id: 'KOR-0122',
  supersedes: { field: ['KOR-0005', 'KOR-0013', 'KOR-0121', 'KOR-0123', 'KOR-0124'] },
  name: 'container-runtime-socket-mounted',
  title: 'Container runtime socket mounted from the host',
  description:
    'A pod that mounts the Docker, containerd, CRI-O or Podman API socket (or a directory holding it, such as /var/run or /run/containerd) can ask the runtime to start a privileged container with the host filesystem mounted: full control of the node, outside every Kubernetes admission check, whether the volume is read-only or not (connecting to a socket is not a write to the filesystem). Mounts of / and /var are reported by KOR-0123.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611', 'T1610'] },
  remediation: 'Do not mount container runtime sockets; build images with rootless builders (BuildKit rootless, kaniko) and read node state through the Kubernetes API or a dedicated, audited agent.',
  messages: { socket: 'Volume "{{volume}}" mounts host path "{{path}}", exposing the container runtime socket {{socket}}.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    for (const v of hostPathVolumes(podSpec)) {
      const p = normalizeHostPath(v.path);
      if (p === '/' || p === '/var') continue; // KOR-0123
      const socket = exposedSensitivePath(p, RUNTIME_SOCKETS);
      if (socket) ctx.report('socket', { volume: v.name, path: v.path, socket }, v.pointer);
    }
  },
});
