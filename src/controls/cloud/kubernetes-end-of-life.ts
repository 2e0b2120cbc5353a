import { defineControl } from '../../engine/types.js';
import { componentContainer } from '../../nodes/api-facts.js';
import { nodeData } from '../../nodes/data.js';
import { kubernetesEndOfLife, nodeInfoOf } from '../../nodes/node-versions.js';
import { imageVersion } from '../../nodes/versions.js';

export default defineControl({
  id: 'KOR-0521',
  name: 'kubernetes-end-of-life',
  title: 'Kubernetes minor version past its end of life',
  description:
    'A Kubernetes minor version gets patches for about 14 months; after that no vulnerability is fixed in it. The kubelets\' versions and the kube-apiserver version of the control plane\'s static pods are compared with the end-of-life dates kordon ships (data/end-of-life.json), as of the data\'s own date (named in each message), so a result never changes by itself: refresh the data to move it.',
  dimensions: ['Security', 'Architecture'],
  layer: 'cloud',
  phases: ['runtime'],
  severity: 'high',
  effort: 'high',
  frameworks: { nsa: ['upgrading-and-application-security-practices'] },
  remediation: 'Upgrade the cluster one minor version at a time (control plane, then nodes) to a supported minor version; managed clusters: follow the provider\'s extended support dates, which may differ.',
  messages: {
    kubelet: 'Node "{{node}}" runs kubelet {{version}}: Kubernetes {{minor}} reached its end of life on {{eol}} (kordon data of {{updated}}).',
    apiserver: 'The API server runs {{version}}: Kubernetes {{minor}} reached its end of life on {{eol}} (kordon data of {{updated}}).',
  },
  targets: 'object',
  kinds: ['Node', 'Pod'],
  check(obj, ctx) {
    if (obj.kind === 'Node') {
      const data = nodeData();
      const v = nodeInfoOf(obj).kubeletVersion;
      const eol = v ? kubernetesEndOfLife(data, v) : undefined;
      if (v && eol) ctx.report('kubelet', { node: obj.metadata.name ?? '', version: v, minor: eol.minor, eol: eol.eol, updated: data.updated }, '/status/nodeInfo/kubeletVersion');
      return;
    }
    const cc = componentContainer(obj);
    if (cc?.component !== 'kube-apiserver') return;
    const data = nodeData();
    const image = (obj['spec'] as { containers?: Array<{ image?: unknown }> } | undefined)?.containers?.[cc.container]?.image;
    const v = typeof image === 'string' ? imageVersion(image) : undefined;
    const eol = v ? kubernetesEndOfLife(data, v) : undefined;
    if (v && eol) ctx.report('apiserver', { version: v, minor: eol.minor, eol: eol.eol, updated: data.updated }, `/spec/containers/${cc.container}/image`);
  },
});
