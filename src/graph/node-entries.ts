/**
 * Node and control-plane facts in the security graph (the Cloud layer):
 *
 * - a kubelet that accepts anonymous requests and authorizes them all (AlwaysAllow) is an entry
 *   point from the node network: `exec`/`run` into every pod on the node;
 * - an API server that accepts anonymous requests is an entry point to whatever RBAC grants
 *   `system:anonymous` and `system:unauthenticated`: from the internet when it advertises a public
 *   address, else from the node network;
 * - etcd without client certificate authentication is the control plane for whoever reaches its
 *   client port (the node network);
 * - a node whose kernel or container runtime has a known container-escape vulnerability makes an
 *   escape from any container on it one step of moderate difficulty.
 *
 * Each edge carries the object and field a kordon finding points at, so the findings get their
 * priority from the paths.
 */
import type { Inventory } from '../inventory/inventory.js';
import { componentContainer, componentFacts, kubeletConfigFacts } from '../nodes/api-facts.js';
import { evaluateCis, cisItem } from '../nodes/cis.js';
import { nodeData } from '../nodes/data.js';
import { kernelEscapes, nodeInfoOf, runtimeEscapes } from '../nodes/node-versions.js';
import { boolValue } from '../nodes/flags.js';
import { isPublicAddress } from './public-address.js';
import type { Evidence, SecurityGraph } from './graph.js';

export interface NodeEntryContext {
  g: SecurityGraph;
  inv: Inventory;
  internet: number;
  nodeNetwork: number;
  controlPlane: number;
  /** Workload vertices placed on each node by name (spec.nodeName). */
  nodes: ReadonlyMap<string, { vertex: number; members: number[] }>;
}

export function addNodeEntries(c: NodeEntryContext): void {
  const { g, inv } = c;
  // kubelets: anonymous + AlwaysAllow → every pod on the node, from the node network
  for (const item of inv.byKind('KubeletConfiguration')) {
    const name = item.object.metadata.name;
    const node = name ? c.nodes.get(name) : undefined;
    if (!node) continue;
    const facts = { access: 'api' as const, components: {}, kubeletConfig: kubeletConfigFacts(item.object) };
    const anon = cisItem('4.2.1')!.check(facts);
    const authz = cisItem('4.2.2')!.check(facts);
    if (anon.status !== 'fail' || authz.status !== 'fail') continue;
    const ev: Evidence[] = [
      { object: item.id, pointer: '/authentication/anonymous/enabled', detail: `kubelet of node ${name}: ${anon.reason}`, role: 'cause' },
      { object: item.id, pointer: '/authorization/mode', detail: `kubelet of node ${name}: ${authz.reason}`, role: 'cause' },
    ];
    for (const w of node.members) g.edge(c.nodeNetwork, w, 'exposes', 1, `kubelet API of node ${name} (port 10250): anonymous requests run commands in its pods`, ev);
  }
  for (const item of inv.byKind('Pod')) {
    const cc = componentContainer(item.object);
    if (!cc) continue;
    const f = componentFacts(item.object, cc);
    // the word that sets a flag; an unset flag is the whole command line, matched by the control's name
    const causeOf = (flag: string, control: string): Pick<Evidence, 'pointer' | 'controls'> => {
      const i = f.flags.index.get(flag);
      return i !== undefined && cc.pointers[i] ? { pointer: cc.pointers[i]! } : { pointer: `/spec/containers/${cc.container}/command`, controls: [control] };
    };
    if (cc.component === 'kube-apiserver') {
      const raw = f.flags.values.get('anonymous-auth');
      if (raw !== undefined && boolValue(raw) === false) continue;
      const advertised = f.flags.values.get('advertise-address');
      const isPublic = advertised !== undefined && isPublicAddress(advertised);
      const from = isPublic ? c.internet : c.nodeNetwork;
      const ev: Evidence[] = [
        { object: item.id, ...causeOf('anonymous-auth', 'apiserver-anonymous-auth'), detail: raw === undefined ? '--anonymous-auth is not set (default true)' : `--anonymous-auth=${raw}`, role: 'cause' },
        ...(advertised ? [{ object: item.id, pointer: causeOf('advertise-address', 'apiserver-anonymous-auth').pointer, detail: isPublic ? `the API server advertises the public address ${advertised}` : `the API server advertises ${advertised}`, role: 'context' as const }] : []),
      ];
      for (const key of ['User//system:anonymous', 'Group//system:unauthenticated']) {
        const v = g.find(key);
        if (v !== undefined) g.edge(from, v, 'exposes', 1, `anonymous requests to the API server${isPublic ? ' (public address)' : ''} act as ${key.split('//')[1]}`, ev);
      }
    } else if (cc.component === 'etcd') {
      const r = evaluateCis({ access: 'api', components: { etcd: f } }, [cisItem('2.2')!])[0]!;
      if (r.status !== 'fail') continue;
      const pod = g.find(item.id);
      if (pod === undefined) continue;
      const ev: Evidence[] = [{ object: item.id, ...causeOf('client-cert-auth', 'etcd-client-tls'), detail: `etcd: ${r.reason}`, role: 'cause' }];
      g.edge(c.nodeNetwork, pod, 'exposes', 1, 'etcd client port (2379) without client certificate authentication', ev);
      g.edge(pod, c.controlPlane, 'etcd-access', 0, 'etcd holds every object of the cluster, Secrets included: read and write them directly', ev);
    }
  }
  // escape-class vulnerabilities of a node's kernel or runtime: cheaper escapes for its pods' containers
  let data;
  try {
    data = nodeData();
  } catch {
    return; // no data files: no version-based edges
  }
  const containersOf = new Map<number, number[]>();
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.edgeKind[e] !== 'runs-container' || g.edgeWeight[e]! < 0) continue;
    const list = containersOf.get(g.edgeSrc[e]!) ?? [];
    list.push(g.edgeDst[e]!);
    containersOf.set(g.edgeSrc[e]!, list);
  }
  for (const item of inv.byKind('Node')) {
    const name = item.object.metadata.name;
    const node = name ? c.nodes.get(name) : undefined;
    if (!node || node.members.length === 0) continue;
    const info = nodeInfoOf(item.object);
    const hits = [
      ...(info.kernelVersion ? (kernelEscapes(data, info.kernelVersion) ?? []).map((h) => ({ ...h, what: `kernel ${info.kernelVersion}`, pointer: '/status/nodeInfo/kernelVersion' })) : []),
      ...(info.containerRuntimeVersion ? runtimeEscapes(data, info.containerRuntimeVersion).filter((h) => !h.condition).map((h) => ({ ...h, what: info.containerRuntimeVersion!, pointer: '/status/nodeInfo/containerRuntimeVersion' })) : []),
    ];
    if (hits.length === 0) continue;
    const first = hits[0]!;
    const ev: Evidence[] = hits.map((h) => ({ object: item.id, pointer: h.pointer, detail: `${h.what}: ${h.id}${h.fixed ? ` (fixed in ${h.fixed})` : ''}`, role: 'cause' }));
    for (const w of node.members) for (const cv of containersOf.get(w) ?? []) g.edge(cv, node.vertex, 'container-escape', 2, `${first.what} has ${first.id}${hits.length > 1 ? ` and ${hits.length - 1} more known escape${hits.length > 2 ? 's' : ''}` : ''}: an exploit from any container on node ${name}`, ev);
  }
}
