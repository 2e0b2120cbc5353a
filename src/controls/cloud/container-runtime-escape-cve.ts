import { defineControl } from '../../engine/types.js';
import { nodeData } from '../../nodes/data.js';
import { nodeInfoOf, runtimeEscapes } from '../../nodes/node-versions.js';

export default defineControl({
  id: 'KOR-0523',
  name: 'container-runtime-escape-cve',
  title: 'Container runtime version has a known container-escape vulnerability',
  description:
    'The container runtime a node reports (`status.nodeInfo.containerRuntimeVersion`, such as containerd://1.6.20) is compared with the container-escape vulnerabilities kordon ships (data/escape-cves.json, dated): a container that exploits one runs code on the node, outside every Kubernetes control. The runc version is not visible through the API: where a containerd release build shipped a vulnerable runc it is named; distribution packages may ship another runc.',
  dimensions: ['Security'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['upgrading-and-application-security-practices'], mitre: ['T1611'] },
  remediation: 'Upgrade the container runtime (and its runc) on the node pool to a release with the fix; until then keep untrusted images off those nodes.',
  messages: { escape: 'Node "{{node}}" runs {{runtime}}, affected by {{id}}: {{summary}}; fixed in {{fixed}} (kordon data of {{updated}}).' },
  targets: 'object',
  kinds: ['Node'],
  check(node, ctx) {
    const rt = nodeInfoOf(node).containerRuntimeVersion;
    if (!rt) return;
    const data = nodeData();
    for (const hit of runtimeEscapes(data, rt)) {
      ctx.report('escape', { node: node.metadata.name ?? '', runtime: rt, id: hit.id, summary: hit.condition ? `${hit.summary} (${hit.condition})` : hit.summary, fixed: hit.fixed ?? 'no release yet', updated: data.updated }, '/status/nodeInfo/containerRuntimeVersion');
    }
  },
});
