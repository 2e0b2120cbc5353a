import { pssControl } from '../../frameworks/pss/control.js';
import { celAllContainers, celHas, withCel } from '../support/cel.js';

/** Pod Security Standards `hostProbesAndHostLifecycle`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0007',
  name: 'pss-host-probes-and-lifecycle',
  check: 'hostProbesAndHostLifecycle',
  title: 'Probe or lifecycle hook targets another host',
  description:
    'A probe or lifecycle hook with `httpGet.host` or `tcpSocket.host` makes the kubelet connect to an arbitrary address from the node\'s network position: a server-side request forgery primitive. The Pod Security Standards baseline (v1.34+) forbids setting the host.',
  severity: 'medium',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1090'] },
  remediation: 'Remove `host` from the probes\' and lifecycle hooks\' httpGet and tcpSocket actions so that they target the pod\'s own IP.',
}), {
  expression: celAllContainers([...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => [p]), ['lifecycle', 'postStart'], ['lifecycle', 'preStop']].flatMap((path) => ['httpGet', 'tcpSocket'].map((a) => `!(${celHas('c', [...path, a, 'host'])} && c.${[...path, a].join('.')}.host != '')`)).join(' && ')),
  message: 'Probes and lifecycle handlers must not set a host.',
});
