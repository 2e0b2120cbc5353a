import { defineControl } from '../../engine/types.js';
import { podMetadataOf } from '../../inventory/podspec.js';
import { isVelero, scheduleCovers, veleroSchedules } from '../support/velero.js';
import { asRecord, specOf, workloadsIn } from '../support/workloads.js';

const OPT_IN = 'backup.velero.io/backup-volumes';

export default defineControl({
  id: 'KOR-0786',
  name: 'velero-schedule-skips-volumes',
  title: 'Velero schedule backs up claims but not the data in them',
  description:
    'A Velero Schedule with `template.snapshotVolumes: false` and without `defaultVolumesToFsBackup: true` saves the PersistentVolumeClaim objects of the namespaces it covers but not their contents: a restore recreates empty volumes. It is judged for each covered namespace that holds claims and where no pod opts its volumes into file-system backup (annotation `backup.velero.io/backup-volumes`). Judged where the inputs hold Velero Schedules.',
  layer: 'cluster',
  dimensions: ['Storage & Backup', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: {},
  remediation: 'Let the schedule take volume snapshots (remove `snapshotVolumes: false`, with a VolumeSnapshotLocation) or back volumes up at file level (`defaultVolumesToFsBackup: true`, or the pod annotation `backup.velero.io/backup-volumes`).',
  messages: { skips: 'Velero Schedule "{{name}}" covers namespace(s) {{namespaces}} with volume claims but takes neither snapshots nor file-system backups: a restore brings back empty volumes.' },
  targets: 'inventory',
  kinds: ['Schedule'],
  check(inv, ctx) {
    const schedules = veleroSchedules(inv);
    if (schedules.length === 0) return;
    const withClaims = new Set<string>();
    for (const pvc of inv.byKind('PersistentVolumeClaim')) {
      const ns = inv.namespaceOf(pvc.object);
      if (ns !== undefined) withClaims.add(ns);
    }
    for (const sts of inv.byKind('StatefulSet')) {
      const ns = inv.namespaceOf(sts.object);
      const vct = specOf(sts.object)['volumeClaimTemplates'];
      if (ns !== undefined && Array.isArray(vct) && vct.length > 0) withClaims.add(ns);
    }
    const optedIn = (ns: string): boolean => workloadsIn(inv, ns).some((w) => typeof podMetadataOf(w.object).annotations?.[OPT_IN] === 'string');
    for (const s of schedules) {
      if (!isVelero(s.object)) continue;
      const template = asRecord(specOf(s.object)['template']) ?? {};
      if (template['snapshotVolumes'] !== false || template['defaultVolumesToFsBackup'] === true) continue;
      const namespaces = [...withClaims].filter((ns) => scheduleCovers(s.object, ns) && !optedIn(ns)).sort();
      if (namespaces.length === 0) continue;
      ctx.report('skips', { name: s.object.metadata.name ?? '', namespaces: namespaces.map((n) => `"${n}"`).join(', ') }, '/spec/template/snapshotVolumes', { object: s });
    }
  },
});
