/**
 * Exposure: which workloads can be reached from outside the cluster, on which ports, and
 * through which chain of objects.
 *
 * - Service LoadBalancer → internet (node-network when annotated internal: AWS, GKE, Azure);
 *   its node ports → node-network. NodePort → node-network. externalIPs → node-network.
 *   Other Services → cluster-internal.
 * - Ingress rules and default backend → Service → pods: internet.
 * - Gateway API: Gateway listeners ← HTTPRoute/GRPCRoute/TCPRoute/TLSRoute/UDPRoute parentRefs
 *   (sectionName / port, listener allowedRoutes namespaces and kinds) → backendRefs → Service
 *   (cross-namespace only with a ReferenceGrant) → pods: internet.
 * - hostNetwork (every container port) and hostPort → node-network.
 *
 * Services match pods by selector (the pod template labels, same namespace); a Service port's
 * targetPort is a number or a container port name resolved on each pod.
 */
import type { Inventory } from '../inventory/inventory.js';
import type { InventoryObject } from '../inventory/types.js';
import { buildNetworkModel, labelKey, workloadsByLabel, type NetworkModel, type Workload } from './model.js';
import { isProtocol, type Protocol } from './ports.js';
import { compileSelector } from './selector.js';
import { serviceShapeIssues, shapeProblem } from './shape.js';

export type ExposureLevel = 'internet' | 'node-network' | 'cluster-internal';
const LEVEL_RANK: Record<ExposureLevel, number> = { internet: 0, 'node-network': 1, 'cluster-internal': 2 };

export interface ChainLink {
  kind: string;
  namespace?: string;
  name: string;
  /** What the link contributes: `type LoadBalancer port 443`, `host shop.example.com path /`, ... */
  detail: string;
}

export interface ExposedPort {
  /** Port on the workload's containers (undefined when the name resolves to nothing). */
  containerPort?: number;
  protocol: Protocol;
  /** The port seen from outside (service port, node port, host port, listener port). */
  exposedPort?: number;
}

export interface ExposurePath {
  level: ExposureLevel;
  ports: ExposedPort[];
  tls?: boolean;
  hosts?: string[];
  chain: ChainLink[];
}

export interface WorkloadExposure {
  workload: Workload;
  /** The highest level among the paths. */
  level: ExposureLevel;
  paths: ExposurePath[];
}

export interface ServiceInfo {
  item: InventoryObject;
  namespace: string;
  name: string;
  type: string;
  workloads: Workload[];
}

const INTERNAL_LB_ANNOTATIONS: Array<[string, (v: string) => boolean]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', (v) => v !== 'false' && v !== ''],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', (v) => v === 'internal'],
  ['networking.gke.io/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['cloud.google.com/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', (v) => v === 'true'],
];

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function isInternalLoadBalancer(svc: InventoryObject): boolean {
  const ann = svc.object.metadata.annotations ?? {};
  return INTERNAL_LB_ANNOTATIONS.some(([k, test]) => typeof ann[k] === 'string' && test(String(ann[k])));
}

/** Workloads a Service selects (none for a Service without selector). */
export function serviceWorkloads(model: NetworkModel, svc: InventoryObject): Workload[] {
  const spec = obj(svc.object['spec']) ?? {};
  const selector = obj(spec['selector']);
  if (!selector || Object.keys(selector).length === 0) return [];
  const ns = model.inventory.namespaceOf(svc.object) ?? 'default';
  const m = compileSelector({ matchLabels: selector });
  // Only the workloads carrying the selector's first label can match: start from those.
  const [key, value] = Object.entries(selector)[0]!;
  return (workloadsByLabel(model, ns).get(labelKey(key, String(value))) ?? []).filter((w) => m(w.labels));
}

/** Container port a Service port reaches on one workload. */
export function resolveTargetPort(w: Workload, servicePort: Record<string, unknown>): ExposedPort {
  const protocol = String(servicePort['protocol'] ?? 'TCP');
  const proto: Protocol = isProtocol(protocol) ? protocol : 'TCP';
  const target = servicePort['targetPort'] ?? servicePort['port'];
  const exposed = typeof servicePort['port'] === 'number' ? servicePort['port'] : undefined;
  if (typeof target === 'number' || (typeof target === 'string' && /^\d+$/.test(target))) {
    return { containerPort: Number(target), protocol: proto, ...(exposed !== undefined ? { exposedPort: exposed } : {}) };
  }
  const named = w.ports.find((p) => p.name === target && p.protocol === proto);
  return { ...(named ? { containerPort: named.port } : {}), protocol: proto, ...(exposed !== undefined ? { exposedPort: exposed } : {}) };
}

interface Collector {
  add(w: Workload, path: ExposurePath): void;
}

export function computeExposure(inv: Inventory, model: NetworkModel = buildNetworkModel(inv)): WorkloadExposure[] {
  const byWorkload = new Map<number, ExposurePath[]>();
  const seen = new Map<number, Set<string>>();
  const out: Collector = {
    add(w, path) {
      const key = JSON.stringify(path);
      const s = seen.get(w.index) ?? new Set<string>();
      if (s.has(key)) return;
      s.add(key);
      seen.set(w.index, s);
      const list = byWorkload.get(w.index) ?? [];
      list.push(path);
      byWorkload.set(w.index, list);
    },
  };

  // Services whose fields have the types exposure reads; the others are named and left out.
  const readable: InventoryObject[] = [];
  for (const svc of inv.byKind('Service')) {
    const issues = serviceShapeIssues(svc.object);
    if (issues.length === 0) readable.push(svc);
    else inv.addProblem(shapeProblem(inv, svc, issues, 'exposure and attack paths'));
  }
  const services = new Map<string, InventoryObject>();
  for (const svc of readable) if (!services.has(`${inv.namespaceOf(svc.object) ?? 'default'}/${svc.object.metadata.name ?? ''}`)) services.set(`${inv.namespaceOf(svc.object) ?? 'default'}/${svc.object.metadata.name ?? ''}`, svc);

  // Services on their own.
  for (const svc of readable) {
    const spec = obj(svc.object['spec']) ?? {};
    const type = String(spec['type'] ?? 'ClusterIP');
    const ns = inv.namespaceOf(svc.object) ?? 'default';
    const name = svc.object.metadata.name ?? '<unnamed>';
    const workloads = serviceWorkloads(model, svc);
    const externalIPs = arr(spec['externalIPs']).map(String);
    for (const w of workloads) {
      const ports = arr(spec['ports']).map((p) => obj(p) ?? {});
      const resolved = ports.map((p) => resolveTargetPort(w, p));
      if (type === 'LoadBalancer') {
        const internal = isInternalLoadBalancer(svc);
        out.add(w, {
          level: internal ? 'node-network' : 'internet',
          ports: resolved,
          chain: [{ kind: 'Service', namespace: ns, name, detail: `type LoadBalancer${internal ? ' (internal)' : ''}` }],
        });
      }
      if ((type === 'NodePort' || type === 'LoadBalancer') && spec['allocateLoadBalancerNodePorts'] !== false) {
        out.add(w, {
          level: 'node-network',
          ports: ports.map((p, i) => {
            const { exposedPort: _servicePort, ...rest } = resolved[i]!;
            return { ...rest, ...(typeof p['nodePort'] === 'number' ? { exposedPort: p['nodePort'] } : {}) };
          }),
          chain: [{ kind: 'Service', namespace: ns, name, detail: `type ${type} node ports` }],
        });
      }
      if (externalIPs.length > 0) {
        out.add(w, { level: 'node-network', ports: resolved, chain: [{ kind: 'Service', namespace: ns, name, detail: `externalIPs ${externalIPs.join(',')}` }] });
      }
      if (type !== 'LoadBalancer' && type !== 'NodePort' && externalIPs.length === 0) {
        out.add(w, { level: 'cluster-internal', ports: resolved, chain: [{ kind: 'Service', namespace: ns, name, detail: `type ${type}` }] });
      }
    }
  }

  /** An external entry point (Ingress, Gateway) reaching a Service port. */
  const viaService = (ns: string, svcName: string, port: unknown, lead: ChainLink[], extra: Pick<ExposurePath, 'tls' | 'hosts'>, exposedPort?: number): void => {
    const svc = services.get(`${ns}/${svcName}`);
    if (!svc) return;
    const spec = obj(svc.object['spec']) ?? {};
    const svcPorts = arr(spec['ports']).map((p) => obj(p) ?? {});
    const chosen = port === undefined ? svcPorts : svcPorts.filter((p) => p['port'] === port || (typeof port === 'string' && p['name'] === port));
    for (const w of serviceWorkloads(model, svc)) {
      const resolved = chosen.map((p) => ({ ...resolveTargetPort(w, p), ...(exposedPort !== undefined ? { exposedPort } : {}) }));
      out.add(w, {
        level: 'internet',
        ports: resolved,
        ...extra,
        chain: [...lead, { kind: 'Service', namespace: ns, name: svcName, detail: `port ${chosen.map((p) => String(p['port'])).join(',') || '?'}` }],
      });
    }
  };

  // Ingress.
  for (const ing of inv.byKind('Ingress')) {
    const spec = obj(ing.object['spec']) ?? {};
    const ns = inv.namespaceOf(ing.object) ?? 'default';
    const name = ing.object.metadata.name ?? '<unnamed>';
    const tlsHosts = new Set<string>();
    let tlsAll = false;
    for (const t of arr(spec['tls'])) {
      const hosts = arr(obj(t)?.['hosts']).map(String);
      if (hosts.length === 0) tlsAll = true;
      hosts.forEach((h) => tlsHosts.add(h));
    }
    const backendPort = (b: Record<string, unknown> | undefined): unknown => {
      const p = obj(obj(b?.['service'])?.['port']);
      return p?.['number'] ?? p?.['name'];
    };
    const def = obj(spec['defaultBackend']);
    const defSvc = obj(def?.['service']);
    if (defSvc && typeof defSvc['name'] === 'string') {
      viaService(ns, defSvc['name'], backendPort(def), [{ kind: 'Ingress', namespace: ns, name, detail: 'default backend' }], { tls: tlsAll || tlsHosts.size > 0 }, undefined);
    }
    for (const rule of arr(spec['rules'])) {
      const r = obj(rule) ?? {};
      const host = typeof r['host'] === 'string' ? r['host'] : '*';
      const tls = tlsAll || tlsHosts.has(host);
      for (const p of arr(obj(r['http'])?.['paths'])) {
        const path = obj(p) ?? {};
        const backend = obj(path['backend']);
        const svc = obj(backend?.['service']);
        if (!svc || typeof svc['name'] !== 'string') continue;
        viaService(ns, svc['name'], backendPort(backend), [{ kind: 'Ingress', namespace: ns, name, detail: `host ${host} path ${String(path['path'] ?? '/')}${tls ? ' (TLS)' : ' (no TLS)'}` }], { tls, hosts: [host] }, tls ? 443 : 80);
      }
    }
  }

  // Gateway API.
  const gateways = new Map<string, InventoryObject>();
  for (const gw of inv.byKind('Gateway')) gateways.set(`${inv.namespaceOf(gw.object) ?? 'default'}/${gw.object.metadata.name ?? ''}`, gw);
  for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']) {
    for (const route of inv.byKind(kind)) {
      const spec = obj(route.object['spec']) ?? {};
      const ns = inv.namespaceOf(route.object) ?? 'default';
      const name = route.object.metadata.name ?? '<unnamed>';
      const hostnames = arr(spec['hostnames']).map(String);
      for (const parent of arr(spec['parentRefs'])) {
        const pr = obj(parent) ?? {};
        if ((pr['kind'] ?? 'Gateway') !== 'Gateway') continue;
        const gwNs = typeof pr['namespace'] === 'string' ? pr['namespace'] : ns;
        const gw = gateways.get(`${gwNs}/${String(pr['name'])}`);
        if (!gw) continue;
        const listeners = arr(obj(gw.object['spec'])?.['listeners'])
          .map((l) => obj(l) ?? {})
          .filter((l) => (pr['sectionName'] === undefined || l['name'] === pr['sectionName']) && (pr['port'] === undefined || l['port'] === pr['port']))
          .filter((l) => listenerAdmits(model, l, gwNs, ns, kind));
        for (const l of listeners) {
          const tls = l['protocol'] === 'HTTPS' || l['protocol'] === 'TLS';
          const lead: ChainLink[] = [
            { kind: 'Gateway', namespace: gwNs, name: gw.object.metadata.name ?? '', detail: `listener ${String(l['name'])} ${String(l['protocol'])}/${String(l['port'])}` },
            { kind, namespace: ns, name, detail: hostnames.length ? `hostnames ${hostnames.join(',')}` : 'all hostnames' },
          ];
          for (const rule of arr(spec['rules'])) {
            for (const b of arr(obj(rule)?.['backendRefs'])) {
              const br = obj(b) ?? {};
              if ((br['kind'] ?? 'Service') !== 'Service' || (br['group'] ?? '') !== '') continue;
              const bNs = typeof br['namespace'] === 'string' ? br['namespace'] : ns;
              if (bNs !== ns && !referenceGranted(inv, ns, kind, bNs, String(br['name']))) continue;
              viaService(bNs, String(br['name']), br['port'], lead, { tls, ...(hostnames.length ? { hosts: hostnames } : {}) }, typeof l['port'] === 'number' ? l['port'] : undefined);
            }
          }
        }
      }
    }
  }

  // Host networking.
  for (const w of model.workloads) {
    if (w.hostNetwork) {
      out.add(w, {
        level: 'node-network',
        ports: w.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol, exposedPort: p.port })),
        chain: [{ kind: w.kind, namespace: w.namespace, name: w.name, detail: 'hostNetwork: true' }],
      });
    }
    const hostPorts = w.ports.filter((p) => p.hostPort !== undefined);
    if (hostPorts.length > 0) {
      out.add(w, {
        level: 'node-network',
        ports: hostPorts.map((p) => ({ containerPort: p.port, protocol: p.protocol, exposedPort: p.hostPort! })),
        chain: [{ kind: w.kind, namespace: w.namespace, name: w.name, detail: `hostPort ${hostPorts.map((p) => p.hostPort).join(',')}` }],
      });
    }
  }

  const result: WorkloadExposure[] = [];
  for (const w of model.workloads) {
    const paths = byWorkload.get(w.index);
    if (!paths) continue;
    paths.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || JSON.stringify(a.chain).localeCompare(JSON.stringify(b.chain)));
    result.push({ workload: w, level: paths[0]!.level, paths });
  }
  return result;
}

/** Listener `allowedRoutes`: namespaces (Same by default, All, Selector) and kinds. */
function listenerAdmits(model: NetworkModel, l: Record<string, unknown>, gwNs: string, routeNs: string, routeKind: string): boolean {
  const allowed = obj(l['allowedRoutes']) ?? {};
  const kinds = arr(allowed['kinds']).map((k) => String(obj(k)?.['kind']));
  if (kinds.length > 0 && !kinds.includes(routeKind)) return false;
  const nsSpec = obj(allowed['namespaces']) ?? {};
  const from = String(nsSpec['from'] ?? 'Same');
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gwNs;
  if (from === 'Selector') return compileSelector(nsSpec['selector'] ?? {})(model.namespaceLabels.get(routeNs) ?? {});
  return false;
}

/** A ReferenceGrant in the target namespace lets routes of `fromNs` reference the Service. */
function referenceGranted(inv: Inventory, fromNs: string, fromKind: string, toNs: string, toName: string): boolean {
  return inv.inNamespace(toNs).some((g) => {
    if (g.object.kind !== 'ReferenceGrant') return false;
    const spec = obj(g.object['spec']) ?? {};
    const fromOk = arr(spec['from']).some((f) => {
      const o = obj(f) ?? {};
      return o['group'] === 'gateway.networking.k8s.io' && o['kind'] === fromKind && o['namespace'] === fromNs;
    });
    const toOk = arr(spec['to']).some((t) => {
      const o = obj(t) ?? {};
      return (o['group'] ?? '') === '' && o['kind'] === 'Service' && (o['name'] === undefined || o['name'] === toName);
    });
    return fromOk && toOk;
  });
}

export function describeExposure(e: WorkloadExposure): string {
  const lines = [`${e.workload.display} ${e.level}`];
  for (const p of e.paths) {
    const ports = p.ports.map((x) => `${x.exposedPort ?? '?'}->${x.containerPort ?? '(unresolved)'}/${x.protocol}`).join(',');
    const chain = p.chain.map((c) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name} (${c.detail})`).join(' -> ');
    lines.push(`  ${p.level}: ${ports || 'no ports'} via ${chain}`);
  }
  return lines.join('\n');
}
