import { defineControl } from '../../engine/types.js';
import { celAllContainers } from '../support/cel.js';
import { parseImageRef } from '../support/images.js';

export default defineControl({
  id: 'KOR-0828',
  name: 'tiller-deployed',
  title: 'Helm 2 Tiller is still running',
  description:
    'Tiller, the in-cluster server of Helm 2, has been unsupported since November 2020 and receives no fixes. It listens on gRPC port 44134 without authentication unless TLS was set up by hand, and usually runs with cluster-admin rights: anyone who reaches it from inside the cluster can install anything. Its presence also means releases are still managed by a tool no current pipeline can drive. Recognised by its image (`kubernetes-helm/tiller`, `helm/tiller`).',
  layer: 'container',
  dimensions: ['CI/CD', 'Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { mitre: ['T1610'] },
  remediation: 'Migrate the releases to Helm 3 (`helm 2to3`), then delete the Tiller Deployment, its Service and its service account binding.',
  messages: { tiller: 'Container "{{name}}" runs Helm 2 Tiller ({{image}}): an unsupported, usually unauthenticated server with broad rights.' },
  cel: { expression: celAllContainers("!has(c.image) || !c.image.matches('(^|/)(kubernetes-helm|helm)/tiller([:@]|$)')"), message: 'Helm 2 Tiller must not run (unsupported since 2020).' },
  targets: 'container',
  check({ container }, ctx) {
    if (typeof container.image !== 'string') return;
    const repo = parseImageRef(container.image).repository;
    if (!/(^|\/)(kubernetes-helm|helm)\/tiller$/.test(repo)) return;
    ctx.report('tiller', { name: container.name, image: container.image }, '/image');
  },
});
