import { defineControl } from '../../engine/types.js';
import { celAllContainers, celStrings } from '../support/cel.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';
import { CAPABILITY_SEVERITY_TABLE, JUDGED_CAPABILITIES, capabilityGrade } from '../support/capabilities.js';

export default defineControl({
  id: 'KOR-0126',
  supersedes: { field: ['KOR-0004', 'KOR-0018'] },
  name: 'dangerous-capabilities-added',
  title: 'Container adds a dangerous Linux capability',
  description:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, NET_ADMIN, BPF or ALL give a container kernel powers that have repeatedly been turned into container escapes (mounting the host cgroup or block devices, loading modules, injecting into host processes, reading host files by handle). The Pod Security Standards reject any added capability outside a short list; this control names the capabilities that give real power over the node and grades each by what it gives in its pod (table below): SYS_PTRACE reaches the node\'s processes only with hostPID, NET_ADMIN the node\'s network only with hostNetwork, and SYS_TIME only moves the clock.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'critical',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.9'], mitre: ['T1611', 'T1068'] },
  remediation: 'Remove the capability from `securityContext.capabilities.add`; grant only the narrow capability the process needs (for example NET_BIND_SERVICE) and drop ALL others.',
  messages: { added: '{{kind}} "{{name}}" adds capability {{capability}} ({{power}}).' },
  severityTable: CAPABILITY_SEVERITY_TABLE,
  targets: 'container',
  check({ container, containerKind, podSpec }, ctx) {
    const add = container.securityContext?.capabilities?.add;
    if (!Array.isArray(add)) return;
    add.forEach((raw, i) => {
      if (typeof raw !== 'string') return;
      const grade = capabilityGrade(raw, podSpec);
      if (grade) ctx.report('added', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, capability: raw, power: grade.power }, `/securityContext/capabilities/add/${i}`, { severity: grade.severity });
    });
  },
  cel: {
    expression: celAllContainers(`!has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(x, !((x.upperAscii().startsWith('CAP_') ? x.upperAscii().substring(4) : x.upperAscii()) in ${celStrings(JUDGED_CAPABILITIES)}))`),
    message: `Containers must not add these capabilities: ${JUDGED_CAPABILITIES.join(', ')}.`,
  },
});
