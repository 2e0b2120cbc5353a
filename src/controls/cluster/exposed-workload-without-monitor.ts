import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/types.js';
import { compiledSelector } from '../../network/selector.js';
import { asRecord, hasController, ownLabelsOf, podLabelsOf, selectorCandidates, servicesSelecting } from '../support/workloads.js';

const MONITOR_KINDS = ['ServiceMonitor', 'PodMonitor'];

function isMonitor(o: InventoryObject): boolean {
  return apiGroupOf(o.object.apiVersion) === 'monitoring.coreos.com';
}

const operatorSeen = new WeakMap<Inventory, boolean>();
const monitorLists = new WeakMap<Inventory, { pod: InventoryObject[]; service: InventoryObject[] }>();

/** The Prometheus Operator's PodMonitors and ServiceMonitors of the inputs (once per inventory). */
function monitorsOf(inv: Inventory): { pod: InventoryObject[]; service: InventoryObject[] } {
  let m = monitorLists.get(inv);
  if (!m) monitorLists.set(inv, (m = { pod: inv.byKind('PodMonitor').filter(isMonitor), service: inv.byKind('ServiceMonitor').filter(isMonitor) }));
  return m;
}

/** The Prometheus Operator is in the inputs: one of its CRDs or monitors (once per inventory). */
function operatorPresent(inv: Inventory): boolean {
  let seen = operatorSeen.get(inv);
  if (seen === undefined) {
    seen = MONITOR_KINDS.some((k) => inv.byKind(k).some(isMonitor)) || inv.byKind('CustomResourceDefinition').some((c) => asRecord(c.object['spec'])?.['group'] === 'monitoring.coreos.com');
    operatorSeen.set(inv, seen);
  }
  return seen;
}

/** A monitor's namespaceSelector admits the namespace (default: the monitor's own). */
function admitsNamespace(inv: Inventory, monitor: InventoryObject, ns: string): boolean {
  const sel = asRecord(asRecord(monitor.object['spec'])?.['namespaceSelector']);
  if (sel?.['any'] === true) return true;
  if (Array.isArray(sel?.['matchNames'])) return (sel['matchNames'] as unknown[]).includes(ns);
  return (inv.namespaceOf(monitor.object) ?? 'default') === ns;
}

function selects(monitor: InventoryObject, labels: Record<string, string>): boolean {
  const sel = asRecord(monitor.object['spec'])?.['selector'];
  return sel !== undefined && compiledSelector(sel)(labels);
}

export default defineControl({
  id: 'KOR-0736',
  name: 'exposed-workload-without-monitor',
  title: 'Exposed workload that no monitor scrapes',
  description:
    'Where the Prometheus Operator is in use, a workload that serves traffic through a Service but is selected by no ServiceMonitor (through its Service) and no PodMonitor, nor annotated for scraping (`prometheus.io/scrape: "true"`), has no metrics: its errors, latency and saturation are invisible, and alerts cannot fire. Judged only where the inputs show the Prometheus Operator (its CRDs or at least one monitor).',
  layer: 'cluster',
  dimensions: ['Monitoring & Health Checks'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'medium',
  frameworks: { nsa: ['threat-detection-alerting'] },
  remediation: 'Add a ServiceMonitor selecting the workload\'s Service (or a PodMonitor selecting its pods) with the metrics port, in a namespace the Prometheus instance watches.',
  messages: { unmonitored: '{{kind}} "{{name}}" is exposed by Service {{services}} but no ServiceMonitor or PodMonitor scrapes it.' },
  targets: 'object',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(object, ctx) {
    const inv = ctx.inventory;
    if (hasController(object) || !operatorPresent(inv)) return;
    const services = servicesSelecting(inv, object);
    if (services.length === 0) return;
    const ns = inv.namespaceOf(object) ?? 'default';
    const podLabels = podLabelsOf(object);
    const annotations = [object.metadata.annotations, asRecord(asRecord(asRecord(object['spec'])?.['template'])?.['metadata'])?.['annotations'], ...services.map((s) => s.object.metadata.annotations)];
    if (annotations.some((a) => asRecord(a)?.['prometheus.io/scrape'] === 'true')) return;
    const { pod: podMonitors, service: serviceMonitors } = monitorsOf(inv);
    // only the monitors whose selector may select these labels (an index by label pair) are tried
    const monitorSelector = (m: InventoryObject): unknown => asRecord(m.object['spec'])?.['selector'];
    if (selectorCandidates(podMonitors, monitorSelector, podLabels).some((m) => admitsNamespace(inv, m, ns) && selects(m, podLabels))) return;
    if (
      services.some((s) => {
        const labels = ownLabelsOf(s.object);
        return selectorCandidates(serviceMonitors, monitorSelector, labels).some((m) => admitsNamespace(inv, m, ns) && selects(m, labels));
      })
    )
      return;
    ctx.report('unmonitored', { kind: object.kind, name: object.metadata.name ?? '', services: services.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ') }, '/metadata');
  },
});
