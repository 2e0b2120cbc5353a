import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** Capabilities that open a known path to the node (kernel modules, mounts, raw devices, other processes, eBPF). */
const DANGEROUS: Record<string, string> = {
  ALL: 'every capability',
  SYS_ADMIN: 'mounts, namespaces and most administrative kernel interfaces',
  SYS_MODULE: 'loading kernel modules',
  SYS_PTRACE: 'tracing and injecting into other processes',
  SYS_RAWIO: 'raw device and I/O port access',
  SYS_BOOT: 'rebooting the node and loading new kernels',
  SYS_TIME: 'setting the node clock',
  DAC_READ_SEARCH: 'bypassing file read permission checks (open_by_handle_at escape)',
  DAC_OVERRIDE: 'bypassing file permission checks',
  NET_ADMIN: 'reconfiguring interfaces, routes and firewall rules',
  BPF: 'loading eBPF programs',
  PERFMON: 'kernel performance monitoring and eBPF tracing',
  MAC_ADMIN: 'changing the mandatory access control policy',
  MAC_OVERRIDE: 'overriding mandatory access control',
  SYSLOG: 'reading the kernel log (kernel addresses)',
};

export default defineControl({
  id: 'KOR-0126',
  supersedes: { field: ['KOR-0004', 'KOR-0018'] },
  name: 'dangerous-capabilities-added',
  title: 'Container adds a dangerous Linux capability',
  description:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, NET_ADMIN, BPF or ALL give a container kernel powers that have repeatedly been turned into container escapes (mounting the host cgroup or block devices, loading modules, injecting into host processes, reading host files by handle). The Pod Security Standards reject any added capability outside a short list; this control names the capabilities that make an escape likely.',
  layer: 'container',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.9'], mitre: ['T1611', 'T1068'] },
  remediation: 'Remove the capability from `securityContext.capabilities.add`; grant only the narrow capability the process needs (for example NET_BIND_SERVICE) and drop ALL others.',
  messages: { added: '{{kind}} "{{name}}" adds capability {{capability}} ({{power}}).' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const add = container.securityContext?.capabilities?.add;
    if (!Array.isArray(add)) return;
    add.forEach((raw, i) => {
      if (typeof raw !== 'string') return;
      const cap = raw.toUpperCase().replace(/^CAP_/, '');
      const power = DANGEROUS[cap];
      if (power) ctx.report('added', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, capability: raw, power }, `/securityContext/capabilities/add/${i}`);
    });
  },
  cel: {
    expression: celAllContainers(`!has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(x, !(x.upperAscii().replace('CAP_', '') in [${Object.keys(DANGEROUS).map((k) => `'${k}'`).join(', ')}]))`),
    message: 'Containers must not add dangerous capabilities.',
  },
});
