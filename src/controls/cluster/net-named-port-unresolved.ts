import { defineControl } from '../../engine/types.js';
import { serviceShapeIssues } from '../../network/shape.js';
import { networkAnalysis } from '../../network/analysis.js';
import { resolveTargetPort, serviceWorkloads } from '../../network/exposure.js';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Named ports (NetworkPolicy ports, Service targetPorts) that no container port of the pods concerned carries. */
export default defineControl({
  id: 'KOR-0307',
  name: 'net-named-port-unresolved',
  title: 'Named port that resolves to no container port',
  description:
    'A named port is resolved on the destination pod: a NetworkPolicy port or Service targetPort whose name (and protocol) no container of the pods concerned declares matches nothing. The rule silently allows nothing, or the Service sends traffic nowhere, usually after a container port was renamed.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: { nsa: ['network-policies'] },
  remediation: 'Use a port name that the destination containers declare under `ports[].name` with the same protocol, or a port number.',
  messages: {
    policyPort: '{{policy}} {{rule}} names port "{{port}}"/{{protocol}}, which none of the {{count}} destination workload(s) declares.',
    servicePort: 'Service {{service}} targetPort "{{port}}"/{{protocol}} is not declared by any of its {{count}} selected workload(s).',
  },
  targets: 'inventory',
  kinds: ['NetworkPolicy', 'Service'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    for (const p of net.engine.set.policies) {
      if (p.tier !== 'networkpolicy') continue;
      for (const dir of ['ingress', 'egress'] as const) {
        for (const r of p[dir]) {
          if (r.ports.named.length === 0) continue;
          const destinations = dir === 'ingress' ? net.subjectOf(p) : net.peerWorkloadsOf(r);
          if (destinations.length === 0) continue; // KOR-0303 reports selectors matching nothing
          const rawPorts = arr(obj(arr(obj(p.item.object['spec'])?.[dir])[r.ruleIndex])?.['ports']);
          rawPorts.forEach((raw, pi) => {
            const port = obj(raw)?.['port'];
            if (typeof port !== 'string' || /^\d+$/.test(port)) return;
            const protocol = String(obj(raw)?.['protocol'] ?? 'TCP');
            if (destinations.some((w) => w.ports.some((cp) => cp.name === port && cp.protocol === protocol))) return;
            ctx.report('policyPort', { policy: p.label, rule: `${dir}[${r.ruleIndex}]`, port, protocol, count: destinations.length }, `${r.pointer}/ports/${pi}/port`, { object: p.item });
          });
        }
      }
    }
    for (const svc of inventory.byKind('Service')) {
      if (serviceShapeIssues(svc.object).length > 0) continue; // named as an input problem by the exposure analysis
      const servicePorts = arr(obj(svc.object['spec'])?.['ports']);
      // Only named targetPorts can fail to resolve: skip selecting the workloads otherwise.
      if (!servicePorts.some((raw) => isPortName(obj(raw)?.['targetPort']))) continue;
      const workloads = serviceWorkloads(net.engine.model, svc);
      if (workloads.length === 0) continue;
      servicePorts.forEach((raw, i) => {
        const sp = obj(raw) ?? {};
        const target = sp['targetPort'];
        if (!isPortName(target)) return;
        if (workloads.some((w) => resolveTargetPort(w, sp).containerPort !== undefined)) return;
        const name = `${inventory.namespaceOf(svc.object) ?? 'default'}/${svc.object.metadata.name ?? ''}`;
        ctx.report('servicePort', { service: name, port: target, protocol: String(sp['protocol'] ?? 'TCP'), count: workloads.length }, `/spec/ports/${i}/targetPort`, { object: svc });
      });
    }
  },
});

/** A port given by name (a string that is not all digits). */
function isPortName(port: unknown): port is string {
  return typeof port === 'string' && !/^\d+$/.test(port);
}
