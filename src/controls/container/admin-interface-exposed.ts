import { defineControl, type Severity } from '../../engine/types.js';
import { networkAnalysis } from '../../network/analysis.js';
import { parseImageRef } from '../support/images.js';
import { isTillerImage } from './tiller-deployed.js';
import { isDashboardImage } from './dashboard-login-bypass.js';

/**
 * Servers that answer without authentication in their default configuration, and what that
 * gives whoever reaches them. Matched on the image's last path component (mirrors included).
 */
const INTERFACES: Array<{ test: (repo: string, last: string, image: string) => boolean; what: string }> = [
  { test: (_r, _l, image) => isDashboardImage(image), what: 'the Kubernetes Dashboard (acts with its service account when login is skipped)' },
  { test: (_r, _l, image) => isTillerImage(image), what: 'Helm 2 Tiller (installs charts with its service account, no authentication)' },
  { test: (_r, last) => last === 'prometheus' || last === 'alertmanager' || last === 'pushgateway', what: 'a Prometheus server (metrics of the whole cluster, admin APIs, no authentication by default)' },
  { test: (_r, last) => last === 'elasticsearch' || last === 'opensearch' || last === 'kibana', what: 'an Elasticsearch/OpenSearch or Kibana node (indexed data; older versions ship without authentication)' },
  { test: (_r, last) => last === 'redis' || last === 'memcached', what: 'a Redis or Memcached server (no password by default)' },
  { test: (_r, last) => /^(?:jupyter|[a-z-]*-notebook)$/.test(last), what: 'a Jupyter notebook (runs code for whoever reaches it)' },
  { test: (_r, last) => last === 'all-in-one' || last === 'jaeger-query', what: 'a Jaeger query UI (traces with request contents, no authentication)' },
];

export default defineControl({
  id: 'KOR-0160',
  name: 'admin-interface-exposed',
  title: 'Unauthenticated admin interface exposed outside the cluster',
  description:
    'Some servers answer anyone in their default configuration: the Kubernetes Dashboard with skip-login, Tiller, Prometheus and Alertmanager, Redis and Memcached, older Elasticsearch and Kibana, Jupyter, the Jaeger UI. Inside the cluster that is a lateral-movement risk; reachable from outside (a LoadBalancer, an Ingress or Gateway route, a NodePort, the host network) it is how clusters are found and taken by internet-wide scans. This control follows the exposure engine\'s routes to the workloads running such an image.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['network-separation'], mitre: ['T1133', 'T1190'] },
  remediation: 'Keep the interface cluster-internal (ClusterIP, no Ingress route) and reach it with `kubectl port-forward`, or put an authenticating proxy in front of it and turn on the server\'s own authentication.',
  messages: { exposed: '{{workload}} runs {{what}} and is reachable from {{where}} via {{via}}.' },
  severityTable: [
    { case: 'reachable from the internet', severity: 'high', reason: 'Internet-wide scanners find such interfaces within hours.' },
    { case: 'reachable from the node network (NodePort, host port, internal load balancer)', severity: 'medium', reason: 'Anyone on the nodes\' network (other tenants, a compromised VM) reaches it.' },
  ],
  targets: 'inventory',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod', 'Job', 'CronJob'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    for (const e of net.exposure) {
      if (e.level === 'cluster-internal') continue;
      const containers = Array.isArray(e.workload.podSpec.containers) ? e.workload.podSpec.containers : [];
      containers.forEach((c, i) => {
        if (!c || typeof c !== 'object' || typeof c.image !== 'string') return;
        const ref = parseImageRef(c.image);
        const repo = ref.repository.toLowerCase();
        const last = repo.slice(repo.lastIndexOf('/') + 1);
        const hit = INTERFACES.find((x) => x.test(repo, last, c.image!));
        if (!hit) return;
        const paths = e.paths.filter((p) => p.level === e.level);
        const via = [...new Set(paths.map((p) => p.chain.map((l) => `${l.kind} ${l.namespace ? `${l.namespace}/` : ''}${l.name}`).join(' -> ')))].join(', ');
        const severity: Severity = e.level === 'internet' ? 'high' : 'medium';
        ctx.report('exposed', { workload: e.workload.display, what: hit.what, where: e.level === 'internet' ? 'the internet' : 'the node network', via }, `${e.workload.podSpecPointer}/containers/${i}/image`, { object: e.workload.item, severity });
      });
    }
  },
});
