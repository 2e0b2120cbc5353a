import { riskyGrantControl } from '../../rbac/risk-control.js';
import type { BindingGrant, Capability } from '../../rbac/risk.js';

const DELETE_DATA: Capability = {
  label: 'the right to delete namespaces or persistent volumes and claims',
  labelOf: (granted) => {
    const what = [...new Set(granted.map((p) => ({ namespaces: 'namespaces', persistentvolumes: 'persistent volumes', persistentvolumeclaims: 'persistent volume claims' })[p.resource] ?? p.resource))];
    return `the right to delete ${what.join(', ')}`;
  },
  probes: [
    { verb: 'delete', apiGroup: '', resource: 'namespaces' },
    { verb: 'delete', apiGroup: '', resource: 'persistentvolumes' },
    { verb: 'deletecollection', apiGroup: '', resource: 'persistentvolumes' },
    { verb: 'delete', apiGroup: '', resource: 'persistentvolumeclaims' },
    { verb: 'deletecollection', apiGroup: '', resource: 'persistentvolumeclaims' },
  ],
};

/** Deleting namespaces or volumes cluster-wide destroys everything; claims in one namespace, that namespace's data. */
function severityOf(g: BindingGrant): 'high' | 'medium' {
  return g.scope === 'cluster' && !g.namedOnly ? 'high' : 'medium';
}

export default riskyGrantControl({
  id: 'KOR-0228',
  name: 'rbac-namespace-or-volume-delete',
  title: 'Namespaces or volumes can be deleted',
  description:
    'Deleting a namespace deletes every object in it; deleting a PersistentVolumeClaim releases its volume, and with the usual `Delete` reclaim policy the cloud disk and its data are gone. A subject holding these rights can destroy data and applications in one request (ransomware and sabotage start here), and backups are the only way back. Reported for grants in every namespace (ClusterRoleBindings) and in kube-system; claims a team deletes in its own namespace are its business.',
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['rbac'], mitre: ['T1485', 'T1490'] },
  remediation: 'Keep delete on namespaces, PersistentVolumes and PersistentVolumeClaims to the pipeline or operator that owns them; people get it through a break-glass role, not a standing binding.',
  capability: DELETE_DATA,
  severityOf,
  // cluster-wide, or in kube-system: deleting a team's own claims in its namespace is what `edit` is for
  filter: { namespaces: ['kube-system'] },
  severityTable: [
    { case: 'granted cluster-wide for any name', severity: 'high', reason: 'Every namespace or every volume of the cluster can be deleted.' },
    { case: 'granted in kube-system, or only for named objects', severity: 'medium', reason: 'The data of the cluster\'s own components (or of the named objects) can be deleted.' },
  ],
});
