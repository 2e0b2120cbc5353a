import { defineControl } from '../../engine/types.js';
import { celStrings } from '../support/cel.js';
import { asArray, isMirrorPod } from '../support/pod.js';
import { POD_BEARING_KINDS } from '../../inventory/podspec.js';
import { SYSTEM_NAMESPACES } from '../support/namespaces.js';

/** Components Kubernetes distributions run in kube-system. */
const SYSTEM_COMPONENTS = new Set([
  'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kube-proxy', 'coredns', 'kube-dns',
  'metrics-server', 'cloud-controller-manager', 'konnectivity-agent', 'kube-flannel-ds', 'calico-node', 'calico-kube-controllers',
  'cilium', 'cilium-operator', 'aws-node', 'ebs-csi-controller', 'ebs-csi-node', 'efs-csi-controller', 'efs-csi-node', 'cluster-autoscaler',
]);

export default defineControl({
  id: 'KOR-0115',
  name: 'workload-in-system-namespace',
  title: 'Application workload in a system namespace',
  description:
    'kube-system, kube-public and kube-node-lease belong to Kubernetes: kube-system holds control-plane components, their service accounts and credentials, and is usually exempt from Pod Security Admission and policy engines. An application deployed there shares that privileged neighbourhood, escapes the namespace-level controls and, if compromised, sits next to the cluster\'s most powerful tokens. Control-plane static pods, known cluster add-ons and objects owned by another object (judged through their owner) are not reported.',
  layer: 'cluster',
  dimensions: ['Security', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['namespaces'], cis: ['5.7.1'], mitre: ['T1610'] },
  remediation: 'Deploy application workloads in their own namespace, and restrict who may create workloads in system namespaces.',
  messages: { system: '{{kind}} "{{name}}" runs in the system namespace "{{namespace}}".' },
  targets: 'object',
  kinds: [...POD_BEARING_KINDS],
  check(object, ctx) {
    const namespace = ctx.inventory.namespaceOf(object);
    if (namespace === undefined || !SYSTEM_NAMESPACES.has(namespace)) return;
    if (asArray(object.metadata.ownerReferences).length > 0) return;
    if (isMirrorPod(object)) return;
    const labels = object.metadata.labels ?? {};
    if (labels['tier'] === 'control-plane' || labels['addonmanager.kubernetes.io/mode'] !== undefined) return;
    const name = object.metadata.name ?? '';
    const app = labels['k8s-app'] ?? labels['app.kubernetes.io/name'] ?? labels['component'] ?? '';
    if (SYSTEM_COMPONENTS.has(name) || SYSTEM_COMPONENTS.has(app)) return;
    ctx.report('system', { kind: object.kind, name, namespace }, '/metadata/namespace');
  },
  cel: {
    expression: [
      `!has(request.namespace) || !(request.namespace in ${celStrings([...SYSTEM_NAMESPACES])})`,
      '(has(object.metadata.ownerReferences) && size(object.metadata.ownerReferences) > 0)',
      "(has(object.metadata.annotations) && 'kubernetes.io/config.mirror' in object.metadata.annotations)",
      "(has(object.metadata.labels) && (('tier' in object.metadata.labels && object.metadata.labels['tier'] == 'control-plane') || 'addonmanager.kubernetes.io/mode' in object.metadata.labels))",
      `object.metadata.name in ${celStrings([...SYSTEM_COMPONENTS])}`,
      `(has(object.metadata.labels) && ('k8s-app' in object.metadata.labels ? object.metadata.labels['k8s-app'] : 'app.kubernetes.io/name' in object.metadata.labels ? object.metadata.labels['app.kubernetes.io/name'] : 'component' in object.metadata.labels ? object.metadata.labels['component'] : '') in ${celStrings([...SYSTEM_COMPONENTS])})`,
    ].join(' || '),
    message: 'Workloads of your own must not run in kube-system, kube-public or kube-node-lease.',
  },
});
