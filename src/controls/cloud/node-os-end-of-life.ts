import { defineControl } from '../../engine/types.js';
import { nodeData } from '../../nodes/data.js';
import { nodeInfoOf, osEndOfLife } from '../../nodes/node-versions.js';

export default defineControl({
  id: 'KOR-0525',
  name: 'node-os-end-of-life',
  title: 'Node operating system past its end of support',
  description:
    'A node image whose distribution release is past its end of standard support (`status.nodeInfo.osImage`, such as Ubuntu 20.04 or CentOS Linux 7) gets no security updates for its kernel, runtime and libraries without an extended-support subscription. Dates from data/end-of-life.json, as of its own date (named in the message).',
  dimensions: ['Security', 'Architecture'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'medium',
  effort: 'high',
  frameworks: { nsa: ['upgrading-and-application-security-practices'] },
  remediation: 'Move the node pool to a supported node image (or confirm an extended-support subscription covers it).',
  messages: { eol: 'Node "{{node}}" runs {{os}}: {{name}} reached its end of standard support on {{eol}} (kordon data of {{updated}}).' },
  targets: 'object',
  kinds: ['Node'],
  check(node, ctx) {
    const os = nodeInfoOf(node).osImage;
    if (!os) return;
    const data = nodeData();
    const eol = osEndOfLife(data, os);
    if (eol) ctx.report('eol', { node: node.metadata.name ?? '', os, name: eol.name, eol: eol.eol, updated: data.updated }, '/status/nodeInfo/osImage');
  },
});
