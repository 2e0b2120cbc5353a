import { defineControl, type Severity } from '../../engine/types.js';
import { componentContainer } from '../../nodes/api-facts.js';
import { nodeData } from '../../nodes/data.js';
import { kubernetesVulnerabilities, nodeInfoOf } from '../../nodes/node-versions.js';
import { imageVersion } from '../../nodes/versions.js';

const SEVERITY: Record<string, Severity> = { Critical: 'high', High: 'high', Medium: 'medium', Low: 'low' };

export default defineControl({
  id: 'KOR-0520',
  name: 'kubernetes-version-vulnerable',
  title: 'Kubernetes component version has a known vulnerability',
  description:
    'The kubelet version a node reports (`status.nodeInfo.kubeletVersion`) and the kube-apiserver version of the control plane\'s static pods (their image tag) are compared with the Kubernetes vulnerabilities kordon ships in OSV form (data/kubernetes-cves.osv.json, dated; each message names its date). Windows-only vulnerabilities count only for Windows nodes. Managed control planes show no static pods: their API server version is the provider\'s to patch.',
  dimensions: ['Security'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['upgrading-and-application-security-practices'], mitre: ['T1190', 'T1068'] },
  remediation: 'Upgrade the component to a patch release that fixes the vulnerability (the message names the first fixed version), control plane first, then the nodes.',
  messages: {
    kubelet: 'Node "{{node}}" runs kubelet {{version}}, affected by {{id}} ({{summary}}); fixed in {{fixed}} (kordon data of {{updated}}).',
    apiserver: 'The API server runs {{version}}, affected by {{id}} ({{summary}}); fixed in {{fixed}} (kordon data of {{updated}}).',
  },
  severityTable: [
    { case: 'a vulnerability rated High or Critical by the Kubernetes Security Response Committee', severity: 'high', reason: 'Rated high by the maintainers (CVSS 7 or more).' },
    { case: 'rated Medium', severity: 'medium', reason: 'Rated medium by the maintainers (CVSS 4 to 6.9).' },
    { case: 'rated Low', severity: 'low', reason: 'Rated low by the maintainers (CVSS under 4).' },
  ],
  targets: 'object',
  kinds: ['Node', 'Pod'],
  check(obj, ctx) {
    if (obj.kind === 'Node') {
      const data = nodeData();
      const info = nodeInfoOf(obj);
      if (!info.kubeletVersion) return;
      for (const hit of kubernetesVulnerabilities(data, 'kubelet', info.kubeletVersion, info.operatingSystem)) {
        ctx.report('kubelet', { node: obj.metadata.name ?? '', version: info.kubeletVersion, id: hit.id, summary: hit.summary, fixed: hit.fixed ?? 'no release yet', updated: data.updated }, '/status/nodeInfo/kubeletVersion', { severity: SEVERITY[hit.rating ?? 'High'] ?? 'high' });
      }
      return;
    }
    const cc = componentContainer(obj);
    if (cc?.component !== 'kube-apiserver') return;
    const data = nodeData();
    const image = (obj['spec'] as { containers?: Array<{ image?: unknown }> } | undefined)?.containers?.[cc.container]?.image;
    const version = typeof image === 'string' ? imageVersion(image) : undefined;
    if (!version) return;
    for (const hit of kubernetesVulnerabilities(data, 'kube-apiserver', version)) {
      ctx.report('apiserver', { version, id: hit.id, summary: hit.summary, fixed: hit.fixed ?? 'no release yet', updated: data.updated }, `/spec/containers/${cc.container}/image`, { severity: SEVERITY[hit.rating ?? 'High'] ?? 'high' });
    }
  },
});
