import { pssControl } from '../../frameworks/pss/control.js';
import { POD_SPEC, celIs, withCel } from '../support/cel.js';

/** Pod Security Standards `hostNamespaces`, at the latest version's rules. */
export default withCel(pssControl({
  id: 'KOR-0002',
  name: 'pss-host-namespaces',
  check: 'hostNamespaces',
  title: 'Pod shares the host\'s network, PID or IPC namespace',
  description:
    '`hostNetwork`, `hostPID` and `hostIPC` put the pod in the node\'s namespaces: it sees and can talk to every process, socket and shared-memory segment on the node, bypasses NetworkPolicy, and can sniff node traffic. The Pod Security Standards baseline forbids all three.',
  severity: 'high',
  effort: 'low',
  fixable: true,
  frameworks: { nsa: ['pod-security-enforcement'], cis: ['5.2.3', '5.2.4', '5.2.5'], mitre: ['T1611', 'T1040'] },
  remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).',
}), {
  expression: ['hostNetwork', 'hostPID', 'hostIPC'].map((f) => `!${celIs(POD_SPEC, [f], 'true')}`).join(' && '),
  message: 'Pods must not share the host network, PID or IPC namespace.',
});
