import { defineControl } from '../../engine/types.js';
import { asArray, CONTAINER_KIND_LABEL } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0755',
  name: 'privileged-port',
  title: 'Container listens on a privileged port',
  description:
    'Binding a port below 1024 needs root or the NET_BIND_SERVICE capability (unless the node lowers net.ipv4.ip_unprivileged_port_start): a container declaring one either runs with more privilege than a web server needs or fails once it is hardened to run as non-root with all capabilities dropped. A Service can expose port 80 while the container listens on 8080.',
  layer: 'container',
  dimensions: ['Security', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: {},
  remediation: 'Listen on a port of 1024 or above in the container and map the well-known port in the Service (`port: 80`, `targetPort: 8080`).',
  messages: { privileged: '{{kind}} "{{name}}" declares container port {{port}}, below 1024: binding it needs root or NET_BIND_SERVICE.' },
  targets: 'container',
  check({ container, containerKind }, ctx) {
    asArray<{ containerPort?: unknown }>(container.ports).forEach((p, i) => {
      const port = p && typeof p === 'object' ? p.containerPort : undefined;
      if (typeof port === 'number' && port > 0 && port < 1024) ctx.report('privileged', { kind: CONTAINER_KIND_LABEL[containerKind], name: container.name, port }, `/ports/${i}/containerPort`);
    });
  },
});
