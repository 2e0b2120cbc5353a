import { defineControl } from '../../engine/types.js';
import { nodeData } from '../../nodes/data.js';
import { kernelEscapes, nodeInfoOf } from '../../nodes/node-versions.js';

export default defineControl({
  id: 'KOR-0524',
  name: 'node-kernel-escape-cve',
  title: 'Node kernel has a known container-escape vulnerability',
  description:
    'Containers share the node\'s kernel: a kernel bug that lets a process write read-only files or gain root (Dirty COW, Dirty Pipe, the fsconfig overflow, the nf_tables use-after-free) is a container escape. The kernel a node reports (`status.nodeInfo.kernelVersion`) is compared with the fixed stable releases kordon ships (data/escape-cves.json, dated). Distribution kernels (5.15.0-91-generic, 5.14.0-362.el9) backport fixes without changing the upstream version, so they are not judged by version: check the distribution\'s advisories.',
  dimensions: ['Security'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['upgrading-and-application-security-practices'], mitre: ['T1611', 'T1068'] },
  remediation: 'Upgrade the node image (kernel) to a release with the fix and reboot the nodes; until then keep untrusted workloads off them and deny the capabilities the exploit needs (seccomp RuntimeDefault, no CAP_SYS_ADMIN, no user namespaces where not needed).',
  messages: { escape: 'Node "{{node}}" runs kernel {{kernel}}, affected by {{id}} ({{summary}}); fixed in {{fixed}} (kordon data of {{updated}}).' },
  targets: 'object',
  kinds: ['Node'],
  check(node, ctx) {
    const kernel = nodeInfoOf(node).kernelVersion;
    if (!kernel) return;
    const data = nodeData();
    for (const hit of kernelEscapes(data, kernel) ?? []) {
      ctx.report('escape', { node: node.metadata.name ?? '', kernel, id: hit.id, summary: hit.summary, fixed: hit.fixed ?? 'a newer stable line', updated: data.updated }, '/status/nodeInfo/kernelVersion');
    }
  },
});
