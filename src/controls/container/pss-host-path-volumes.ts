import { pssControl } from '../../frameworks/pss/control.js';
import { POD_SPEC, withCel } from '../support/cel.js';

/** Pod Security Standards `hostPathVolumes`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0005',
  supersedes: { field: ['KOR-0013', 'KOR-0121'] },
  name: 'pss-host-path-volumes',
  check: 'hostPathVolumes',
  title: 'Pod mounts a hostPath volume',
  description:
    'A hostPath volume exposes the node\'s file system to the pod: credentials, the container runtime socket, kubelet state, or a writable path an attacker turns into code execution on the node. The Pod Security Standards baseline forbids hostPath volumes. This is the compliance finding (medium); what a given path exposes is graded by KOR-0121 (writable), KOR-0122 (runtime sockets), KOR-0123 (sensitive paths), KOR-0124 (logs) and KOR-0151 (cloud credentials).',
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.12'], mitre: ['T1611'] },
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or PersistentVolumeClaim volumes; move node agents to a dedicated namespace with its own policy.',
}), {
  expression: `!has(${POD_SPEC}.volumes) || ${POD_SPEC}.volumes.all(v, !has(v.hostPath))`,
  message: 'Pods must not use hostPath volumes.',
});
