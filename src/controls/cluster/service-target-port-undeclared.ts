import { defineControl } from '../../engine/types.js';
import { containersOf, podSpecOf } from '../../inventory/podspec.js';
import { asRecord, podsOfService } from '../support/workloads.js';

export default defineControl({
  id: 'KOR-0731',
  name: 'service-target-port-undeclared',
  title: 'Service targets a named port the pods do not declare',
  description:
    'A Service port whose `targetPort` is a name is resolved, pod by pod, among the container ports of that name; a pod that declares no such port gets no endpoint for it, so the Service sends that port\'s traffic nowhere. Judged for named target ports of Services whose selector matches workloads in the inputs: reported when none of the selected pods declares the name.',
  layer: 'cluster',
  dimensions: ['Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Name the container port as the Service\'s `targetPort` says (`ports[].name`), or set `targetPort` to the number the container listens on.',
  messages: { undeclared: 'Service "{{name}}" port {{port}} targets port "{{target}}", which no selected pod declares ({{workloads}}): it has no endpoints.' },
  targets: 'object',
  kinds: ['Service'],
  check(object, ctx) {
    const ports = asRecord(object['spec'])?.['ports'];
    if (!Array.isArray(ports)) return;
    const pods = podsOfService(ctx.inventory, object);
    if (pods.length === 0) return;
    const declared = new Set<string>();
    for (const w of pods) {
      const ps = podSpecOf(w.object);
      if (!ps) continue;
      for (const c of containersOf(ps)) for (const p of Array.isArray(c.container.ports) ? c.container.ports : []) if (p && typeof p.name === 'string') declared.add(p.name);
    }
    ports.forEach((p, i) => {
      const r = asRecord(p);
      const target = r?.['targetPort'];
      if (typeof target !== 'string' || /^\d+$/.test(target) || declared.has(target)) return;
      const workloads = pods.map((w) => `${w.object.kind} "${w.object.metadata.name ?? ''}"`).sort().slice(0, 3).join(', ') + (pods.length > 3 ? ', ...' : '');
      ctx.report('undeclared', { name: object.metadata.name ?? '', port: String(r?.['name'] ?? r?.['port'] ?? i), target, workloads }, `/spec/ports/${i}/targetPort`);
    });
  },
});
