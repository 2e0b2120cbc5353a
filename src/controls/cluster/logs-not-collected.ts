import { defineControl } from '../../engine/types.js';
import type { Container } from '../../inventory/podspec.js';
import { imageOf, liveSystemDaemonSet, someDaemonSetRuns } from '../support/node-agents.js';

/** Image name fragments of node log agents. */
export const LOG_AGENTS = ['fluent-bit', 'fluentbit', 'fluentd', 'timberio/vector', '/vector:', 'promtail', 'grafana/alloy', 'grafana-agent', 'filebeat', 'elastic-agent', 'datadog/agent', 'datadoghq/agent', 'opentelemetry-collector', 'otel/opentelemetry', 'splunk-otel', 'newrelic-infrastructure', 'newrelic/nri', 'logging-agent', 'fluent/fluent', 'cloudwatch-agent', 'aws-for-fluent-bit', 'sumologic', 'logdna', 'mezmo', 'stackdriver', 'ama-logs', 'omsagent', 'gke-metrics-agent'];

/** A container running a known node log agent. */
export function isLogAgent(c: Container): boolean {
  const image = imageOf(c);
  return LOG_AGENTS.some((a) => image.includes(a));
}

export default defineControl({
  id: 'KOR-0772',
  name: 'logs-not-collected',
  title: 'No agent collects the nodes\' container logs',
  description:
    'Container logs live on the node that ran the container, and are gone when the pod is rescheduled, the node replaced or the log rotated: without an agent on every node shipping them to a store (Fluent Bit, Fluentd, Vector, Promtail or Alloy, Filebeat, an OpenTelemetry collector, a provider\'s agent), an incident cannot be reconstructed (NSA-CISA guide, worker node and container logging). Judged on clusters read live or from a snapshot whose kube-system DaemonSets are in the inputs, from the images of all DaemonSets.',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks', 'Security'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['logging'] },
  remediation: 'Run a log agent as a DaemonSet on every node (tolerating every taint) that ships container and node logs to a store kept outside the cluster.',
  messages: { missing: 'No DaemonSet runs a known log agent: container logs stay on the nodes and are lost with them.' },
  targets: 'inventory',
  kinds: ['DaemonSet'],
  check(inv, ctx) {
    const anchor = liveSystemDaemonSet(inv);
    if (!anchor || someDaemonSetRuns(inv, isLogAgent)) return;
    ctx.report('missing', {}, '/metadata', { object: anchor });
  },
});
