import { defineControl } from '../../engine/types.js';
import type { Container } from '../../inventory/podspec.js';
import { imageOf, liveSystemDaemonSet, someDaemonSetRuns } from '../support/node-agents.js';

/** Image name fragments of runtime threat detection agents (eBPF or kernel-module sensors run as DaemonSets). */
const SENSORS = ['falcosecurity/falco', '/falco:', '/falco@', 'cilium/tetragon', 'aquasec/tracee', 'aquasec/enforcer', 'kubearmor/kubearmor', 'sysdig/agent', 'sysdig/agent-slim', 'sysdig/shield', 'neuvector/enforcer', 'twistlock/defender', 'prismacloud', 'falcon-sensor', 'crowdstrike', 'wiz-sensor', 'sentinelone', 's1-agent', 'microsoft-defender', 'azuredefender', 'defender-for-cloud', 'lacework/datacollector', 'uptycs', 'deepfence', 'stackrox/collector', 'rhacs', 'aws-guardduty-agent'];

export default defineControl({
  id: 'KOR-0841',
  name: 'runtime-threat-detection-missing',
  title: 'No runtime threat detection runs on the nodes',
  description:
    'The NSA-CISA guide (threat detection: tools) asks for a tool that watches what containers do at run time (system calls, processes, files, network) and raises alerts: a compromise that uses only allowed configuration is invisible to manifests and audit logs. kordon knows the common sensors by their images (Falco, Tetragon, Tracee, KubeArmor, Sysdig, NeuVector, Prisma Cloud Defender, CrowdStrike Falcon, Wiz, SentinelOne, Microsoft Defender, Lacework, StackRox/RHACS, Datadog\'s agent with its security-agent container, the GuardDuty runtime monitoring agent). Judged on clusters read live or from a snapshot whose kube-system DaemonSets are in the inputs, from the images of all DaemonSets; a sensor installed on the hosts themselves (not as a DaemonSet) does not show: accept the finding as an exception then.',
  layer: 'cluster',
  guard: 'auditing',
  dimensions: ['Security', 'Monitoring & Health Checks'],
  phases: ['runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['threat-detection-tools'] },
  remediation: 'Run a runtime threat detection sensor (Falco, Tetragon, Tracee, KubeArmor or a vendor\'s agent) as a DaemonSet on every node, tolerating every taint, with its alerts sent to where incidents are handled.',
  messages: { missing: 'No DaemonSet runs a known runtime threat detection sensor: what containers do at run time is not watched.' },
  targets: 'inventory',
  kinds: ['DaemonSet'],
  check(inv, ctx) {
    const anchor = liveSystemDaemonSet(inv);
    if (!anchor) return;
    const sensor = (c: Container): boolean => {
      const image = imageOf(c);
      // Datadog's agent watches run time only with Cloud Workload Security on: its security-agent container
      return SENSORS.some((s) => image.includes(s)) || (c.name === 'security-agent' && (image.includes('datadog/agent') || image.includes('datadoghq/agent')));
    };
    if (someDaemonSetRuns(inv, sensor)) return;
    ctx.report('missing', {}, '/metadata', { object: anchor });
  },
});
