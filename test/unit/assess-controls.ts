/**
 * Controls for the assessment tests, one or two per dimension, written through the library's
 * control API (the real catalogue's dimensions are set elsewhere; the assessment must work with
 * whatever controls carry which dimension). Each judges the fixtures in test/fixtures/assess/.
 */
import { defineControl, type Control } from '../../src/engine/types.js';
import type { K8sObject } from '../../src/inventory/types.js';

const base = { description: 'test control', phases: ['develop' as const], frameworks: {} };

const replicasOf = (o: K8sObject): number => {
  const r = (o as { spec?: { replicas?: unknown } }).spec?.replicas;
  return typeof r === 'number' ? r : 1;
};

export const singleReplica = defineControl({
  ...base,
  id: 'TST-0001',
  name: 'single-replica-workload',
  title: 'Workload runs one replica',
  layer: 'cluster',
  dimensions: ['Architecture', 'Disaster Recovery'],
  severity: 'medium',
  effort: 'low',
  remediation: 'Run at least two replicas.',
  messages: { one: '{{kind}} "{{name}}" runs {{n}} replica.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet'],
  check(o, ctx) {
    const n = replicasOf(o);
    if (n < 2) ctx.report('one', { kind: o.kind, name: o.metadata.name ?? '', n }, '/spec/replicas', { fix: [{ op: 'add', path: '/spec/replicas', value: 2 }] });
  },
});

export const pdbMissing = defineControl({
  ...base,
  id: 'TST-0002',
  name: 'pod-disruption-budget-missing',
  title: 'Workload without a PodDisruptionBudget',
  layer: 'cluster',
  dimensions: ['Disaster Recovery'],
  severity: 'low',
  effort: 'low',
  remediation: 'Add a PodDisruptionBudget.',
  messages: { none: '{{name}} has no PodDisruptionBudget.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(o, ctx) {
    const pdbs = ctx.inventory.byKind('PodDisruptionBudget').filter((p) => p.object.metadata.namespace === o.metadata.namespace);
    if (pdbs.length === 0) ctx.report('none', { name: o.metadata.name ?? '' }, '');
  },
});

export const readiness = defineControl({
  ...base,
  id: 'TST-0003',
  name: 'readiness-probe-absent',
  title: 'Container without a readiness probe',
  layer: 'container',
  dimensions: ['Applications', 'Monitoring & Health Checks'],
  severity: 'low',
  effort: 'medium',
  remediation: 'Add a readinessProbe.',
  messages: { none: 'Container "{{name}}" has no readiness probe.' },
  targets: 'container',
  check(t, ctx) {
    if (t.containerKind === 'container' && !t.container.readinessProbe) ctx.report('none', { name: t.container.name }, '');
  },
});

export const noAutoscaler = defineControl({
  ...base,
  id: 'TST-0004',
  name: 'workload-without-autoscaler',
  title: 'Deployment without an autoscaler',
  layer: 'cluster',
  dimensions: ['Scalability'],
  severity: 'low',
  effort: 'medium',
  remediation: 'Add a HorizontalPodAutoscaler.',
  messages: { none: '{{name}} has no HorizontalPodAutoscaler.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(o, ctx) {
    const hpa = ctx.inventory.byKind('HorizontalPodAutoscaler').some((h) => h.object.metadata.namespace === o.metadata.namespace && (h.object as { spec?: { scaleTargetRef?: { name?: string } } }).spec?.scaleTargetRef?.name === o.metadata.name);
    if (!hpa) ctx.report('none', { name: o.metadata.name ?? '' }, '');
  },
});

export const pvcStorageClass = defineControl({
  ...base,
  id: 'TST-0005',
  name: 'pvc-without-storage-class',
  title: 'PersistentVolumeClaim without a storage class',
  layer: 'cluster',
  dimensions: ['Storage & Backup'],
  severity: 'medium',
  effort: 'low',
  remediation: 'Name a storage class.',
  messages: { none: 'PVC "{{name}}" names no storage class.' },
  targets: 'object',
  kinds: ['PersistentVolumeClaim'],
  check(o, ctx) {
    if (!(o as { spec?: { storageClassName?: string } }).spec?.storageClassName) ctx.report('none', { name: o.metadata.name ?? '' }, '/spec');
  },
});

export const managedBy = defineControl({
  ...base,
  id: 'TST-0006',
  name: 'workload-without-owner-label',
  title: 'Workload without a managed-by label',
  layer: 'code',
  dimensions: ['CI/CD'],
  severity: 'low',
  effort: 'low',
  remediation: 'Deploy through a pipeline that sets app.kubernetes.io/managed-by.',
  messages: { none: '{{name}} names no deploying tool.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(o, ctx) {
    if (!o.metadata.labels?.['app.kubernetes.io/managed-by']) ctx.report('none', { name: o.metadata.name ?? '' }, '/metadata');
  },
});

export const noBackup = defineControl({
  ...base,
  id: 'TST-0007',
  name: 'namespace-volumes-without-backup',
  title: 'Namespace with volumes and no backup schedule',
  layer: 'cluster',
  dimensions: ['Disaster Recovery', 'Storage & Backup'],
  severity: 'high',
  effort: 'high',
  remediation: 'Add a Velero Schedule for the namespace.',
  messages: { none: 'Namespace "{{ns}}" has volumes and no backup schedule.' },
  targets: 'inventory',
  kinds: ['Namespace'],
  check(inv, ctx) {
    const covered = new Set(inv.byKind('Schedule').flatMap((s) => ((s.object as { spec?: { template?: { includedNamespaces?: string[] } } }).spec?.template?.includedNamespaces ?? [])));
    for (const ns of inv.byKind('Namespace')) {
      const name = ns.object.metadata.name ?? '';
      if (inv.byKind('PersistentVolumeClaim').some((p) => p.object.metadata.namespace === name) && !covered.has(name)) ctx.report('none', { ns: name }, '', { object: ns });
    }
  },
});

export const serviceMonitor = defineControl({
  ...base,
  id: 'TST-0008',
  name: 'service-without-monitor',
  title: 'Service without a ServiceMonitor',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  severity: 'medium',
  effort: 'medium',
  remediation: 'Add a ServiceMonitor.',
  messages: { none: 'Service "{{name}}" is not scraped.' },
  targets: 'object',
  kinds: ['Service'],
  check(o, ctx) {
    const labels = o.metadata.labels ?? {};
    const hit = ctx.inventory.byKind('ServiceMonitor').some((m) => {
      const sel = (m.object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels ?? {};
      return m.object.metadata.namespace === o.metadata.namespace && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
    if (!hit) ctx.report('none', { name: o.metadata.name ?? '' }, '');
  },
});

export const nodeZones = defineControl({
  ...base,
  id: 'TST-0009',
  name: 'nodes-in-one-zone',
  title: 'All nodes in one zone',
  layer: 'cloud',
  dimensions: ['Architecture'],
  severity: 'high',
  effort: 'high',
  remediation: 'Spread node pools over zones.',
  messages: { one: 'All {{n}} nodes run in zone {{zone}}.' },
  targets: 'inventory',
  kinds: ['Node'],
  check(inv, ctx) {
    const nodes = inv.byKind('Node');
    const zones = new Set(nodes.map((n) => n.object.metadata.labels?.['topology.kubernetes.io/zone'] ?? ''));
    if (nodes.length > 0 && zones.size < 2) ctx.report('one', { n: nodes.length, zone: [...zones][0] || '(none)' }, '');
  },
});

export const TEST_CONTROLS: readonly Control[] = [singleReplica, pdbMissing, readiness, noAutoscaler, pvcStorageClass, managedBy, noBackup, serviceMonitor, nodeZones];
