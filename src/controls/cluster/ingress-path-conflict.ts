import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';
import { asRecord, specOf } from '../support/workloads.js';

interface Route { ingress: InventoryObject; pointer: string; backend: string }

function classOf(o: InventoryObject): string {
  const c = specOf(o.object)['ingressClassName'] ?? o.object.metadata.annotations?.['kubernetes.io/ingress.class'];
  return typeof c === 'string' ? c : '';
}

function backendOf(path: Record<string, unknown>, ns: string): string {
  const svc = asRecord(asRecord(path['backend'])?.['service']);
  const port = asRecord(svc?.['port']);
  return svc ? `Service ${ns}/${String(svc['name'])}:${String(port?.['name'] ?? port?.['number'] ?? '')}` : JSON.stringify(asRecord(path['backend'])?.['resource'] ?? {});
}

export default defineControl({
  id: 'KOR-0811',
  name: 'ingress-path-conflict',
  title: 'Two Ingresses route the same host and path to different backends',
  description:
    'When two Ingresses of the same class claim the same host, path and path type but send it to different backends, the ingress controller serves only one of them, chosen by its own rules (creation time, name order) and changing with restarts or reorderings: requests reach the wrong application, and which one can change without any deploy. Judged across all Ingresses of the inputs; the same route declared twice with the same backend is not reported.',
  layer: 'cluster',
  dimensions: ['Applications', 'Architecture'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Give each host and path one owner: remove the route from one Ingress, or give the paths distinct prefixes or hosts.',
  messages: { conflict: 'Ingress "{{name}}" routes {{route}} to {{backend}}, while Ingress "{{other}}" routes it to {{otherBackend}}: the controller serves only one.' },
  targets: 'inventory',
  kinds: ['Ingress'],
  check(inv, ctx) {
    const routes = new Map<string, Route[]>();
    for (const ing of inv.byKind('Ingress')) {
      const rules = specOf(ing.object)['rules'];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        const r = asRecord(rule);
        const paths = asRecord(r?.['http'])?.['paths'];
        if (!Array.isArray(paths)) return;
        const host = typeof r?.['host'] === 'string' ? r['host'] : '*';
        paths.forEach((p, j) => {
          const path = asRecord(p);
          if (!path) return;
          const key = `${classOf(ing)}\u0000${host}\u0000${typeof path['path'] === 'string' ? path['path'] : '/'}\u0000${typeof path['pathType'] === 'string' ? path['pathType'] : ''}`;
          const list = routes.get(key) ?? [];
          list.push({ ingress: ing, pointer: `/spec/rules/${i}/http/paths/${j}`, backend: backendOf(path, inv.namespaceOf(ing.object) ?? 'default') });
          routes.set(key, list);
        });
      });
    }
    for (const [key, list] of [...routes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const sorted = [...list].sort((a, b) => (a.ingress.id < b.ingress.id ? -1 : a.ingress.id > b.ingress.id ? 1 : a.pointer < b.pointer ? -1 : 1));
      const first = sorted[0]!;
      const [, host, path] = key.split('\u0000');
      for (const other of sorted.slice(1)) {
        if (other.ingress === first.ingress || other.backend === first.backend) continue;
        ctx.report('conflict', { name: other.ingress.object.metadata.name ?? '', route: `${host}${path}`, backend: other.backend, other: first.ingress.object.metadata.name ?? '', otherBackend: first.backend }, other.pointer, { object: other.ingress });
      }
    }
  },
});
