import { defineControl } from '../../engine/types.js';
import { parseImageRef } from '../support/images.js';
import { CONTAINER_KIND_LABEL } from '../support/pod.js';

/** Helm 2's server side: `gcr.io/kubernetes-helm/tiller`, `ghcr.io/helm/tiller`, mirrors of them. */
export function isTillerImage(image: string): boolean {
  const repo = parseImageRef(image).repository.toLowerCase();
  return repo === 'tiller' || repo.endsWith('/tiller');
}

export default defineControl({
  id: 'KOR-0154',
  name: 'tiller-deployed',
  title: 'Helm 2 Tiller runs in the cluster',
  description:
    'Tiller, the in-cluster half of Helm 2, installs whatever chart it is sent over gRPC (port 44134) with its own service account, which installs usually give cluster-admin. By default it asks for no authentication, so any pod that can reach it can deploy a privileged workload and take the cluster. Helm 2 reached end of life in November 2020 and gets no security fixes; Helm 3 has no server side.',
  layer: 'container',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['upgrading-and-application-security-practices'], mitre: ['T1609', 'T1210'] },
  remediation: 'Migrate the releases to Helm 3 (the `helm-2to3` plugin), then delete the Tiller Deployment, its Service and its service account binding.',
  messages: { tiller: '{{kind}} "{{name}}" runs Tiller (image {{image}}), the unauthenticated Helm 2 server.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    if (typeof container.image !== 'string' || !isTillerImage(container.image)) return;
    ctx.report('tiller', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, image: container.image }, '/image');
  },
});
