import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0208',
  name: 'rbac-workload-create',
  title: 'Pods or workloads can be created',
  description:
    'Whoever can create pods (directly or through a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob or ReplicationController) can run any image with any service account of the namespace, mount its secrets and, without admission control, run privileged pods on a node.',
  severity: 'high',
  effort: 'high',
  frameworks: { nsa: ['rbac'], cis: ['5.1.4'], mitre: ['T1610'] },
  remediation: 'Limit pod and workload creation to deployment pipelines, and enforce Pod Security admission (restricted) in namespaces where people can create workloads.',
  capability: CAPABILITIES.createWorkloads,
});
