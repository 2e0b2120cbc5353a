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
  // a pod created in the namespace mounts any of its secrets, runs as any of its service accounts
  // (their tokens) and runs any command: reading secrets there, minting tokens, updating pods and
  // exec into them are narrower routes to what this grant gives, and one binding is one finding
  supersedes: { object: ['KOR-0202', 'KOR-0204', 'KOR-0209', 'KOR-0210', 'KOR-0212'] },
});
