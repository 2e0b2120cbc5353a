import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';
import { scheduleCovers, veleroPresent, veleroSchedules } from '../support/velero.js';
import { asRecord } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0718',
  name: 'velero-namespace-without-schedule',
  title: 'Persistent data not covered by a Velero backup schedule',
  description:
    'Where Velero is installed, every namespace holding persistent data (PersistentVolumeClaims, or StatefulSets with volume claim templates) should be included in an active backup Schedule; otherwise losing the cluster, the namespace or a volume loses the data. A schedule covers a namespace when it is not paused, its `includedNamespaces` is empty, `*`, or matches the name (wildcards included), and its `excludedNamespaces` does not. A schedule with a label selector is counted as covering (the inputs cannot tell which objects carry its labels). Judged only where the inputs show Velero (a velero.io object or CRD).',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Add the namespace to a Velero Schedule (`spec.template.includedNamespaces`), with volume snapshots or file-system backup for its volumes, or create a Schedule for it.',
  messages: { uncovered: 'Namespace "{{namespace}}" holds persistent data ({{what}}) that no active Velero Schedule backs up.' },
  targets: 'inventory',
  kinds: ['PersistentVolumeClaim', 'StatefulSet'],
  check(inv, ctx) {
    if (!veleroPresent(inv)) return;
    const schedules = veleroSchedules(inv);
    const byNs = new Map<string, InventoryObject[]>();
    for (const item of [...inv.byKind('PersistentVolumeClaim'), ...inv.byKind('StatefulSet')]) {
      if (item.object.kind === 'StatefulSet') {
        const t = asRecord(item.object['spec'])?.['volumeClaimTemplates'];
        if (!Array.isArray(t) || t.length === 0) continue;
      }
      const ns = inv.namespaceOf(item.object) ?? 'default';
      const list = byNs.get(ns) ?? [];
      list.push(item);
      byNs.set(ns, list);
    }
    for (const ns of [...byNs.keys()].sort()) {
      if (schedules.some((s) => scheduleCovers(s.object, ns))) continue;
      const items = byNs.get(ns)!.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const claims = items.filter((i) => i.object.kind === 'PersistentVolumeClaim').length;
      const sets = items.length - claims;
      const what = [claims ? `${claims} PersistentVolumeClaim${claims > 1 ? 's' : ''}` : '', sets ? `${sets} StatefulSet${sets > 1 ? 's' : ''} with volume claim templates` : ''].filter(Boolean).join(', ');
      ctx.report('uncovered', { namespace: ns, what }, '/metadata', { object: items[0]! });
    }
  },
});
