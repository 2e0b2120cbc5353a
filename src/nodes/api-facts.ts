/**
 * CIS facts from API objects: the control plane's static (mirror) pods in kube-system carry the
 * full command line of each component; the kubelet's configuration comes from
 * `nodes/NAME/proxy/configz` (read into a KubeletConfiguration object by the cluster reader) or
 * from a KubeletConfiguration file in the inputs; kube-proxy's from the kubeadm ConfigMap.
 */
import { yamlLib } from '../util/yaml-lib.js';
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { parseFlags } from './flags.js';
import type { CisFacts, Component, ComponentFacts, ConfigFacts } from './facts.js';

const CONTROL_PLANE: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** The annotation the cluster reader puts on a KubeletConfiguration it read from configz. */
export const CONFIGZ_ANNOTATION = 'kordon.dev/read-from';

export interface ComponentContainer {
  component: Component;
  /** Index of the container in spec.containers. */
  container: number;
  /** command followed by args, and where each word sits (a pointer relative to the object). */
  words: string[];
  pointers: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Which component a word names (`kube-apiserver`, `/usr/local/bin/etcd`, `hyperkube apiserver`). */
function componentOfBinary(word: string | undefined): Component | undefined {
  if (!word) return undefined;
  const base = word.split('/').pop()!;
  return (CONTROL_PLANE as readonly string[]).includes(base) || base === 'kube-proxy' || base === 'kubelet' ? (base as Component) : undefined;
}

/**
 * The control-plane component a Pod runs, if it is one: its container's command names the
 * binary (kubeadm, kops, kubespray static pods), else the `component` label kubeadm sets and the
 * container is named after it.
 */
export function componentContainer(pod: K8sObject, base = '/spec'): ComponentContainer | undefined {
  const spec = getAt(pod, base);
  if (!isObj(spec) || !Array.isArray(spec['containers'])) return undefined;
  const label = pod.metadata?.labels?.['component'];
  const containers = spec['containers'] as unknown[];
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    if (!isObj(c)) continue;
    const command = Array.isArray(c['command']) ? (c['command'] as unknown[]).map((w) => (typeof w === 'string' ? w : '')) : [];
    const args = Array.isArray(c['args']) ? (c['args'] as unknown[]).map((w) => (typeof w === 'string' ? w : '')) : [];
    const byBinary = componentOfBinary(command[0]);
    const byLabel = typeof label === 'string' && (CONTROL_PLANE as readonly string[]).includes(label) && c['name'] === label ? (label as Component) : undefined;
    const component = byBinary ?? byLabel;
    if (!component || component === 'kubelet') continue;
    const words = [...command, ...args];
    const pointers = [...command.map((_, j) => `${base}/containers/${i}/command/${j}`), ...args.map((_, j) => `${base}/containers/${i}/args/${j}`)];
    return { component, container: i, words, pointers };
  }
  return undefined;
}

function getAt(obj: unknown, pointer: string): unknown {
  let cur = obj;
  for (const seg of pointer.split('/').slice(1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** The facts of one component container (pod-level: a static pod, or the pod template of a DaemonSet). */
export function componentFacts(pod: K8sObject, cc: ComponentContainer, base = '/spec'): ComponentFacts {
  const hasBinary = componentOfBinary(cc.words[0]) !== undefined;
  const flags = parseFlags(cc.words, { hasBinary });
  const env: Record<string, string> = {};
  const c = (getAt(pod, `${base}/containers/${cc.container}`) ?? {}) as Record<string, unknown>;
  if (Array.isArray(c['env'])) for (const e of c['env'] as unknown[]) if (isObj(e) && typeof e['name'] === 'string' && typeof e['value'] === 'string') env[e['name']] = e['value'];
  const ns = pod.metadata?.namespace;
  return { component: cc.component, flags, env, where: `${pod.kind.toLowerCase()} ${ns ? `${ns}/` : ''}${pod.metadata?.name ?? ''}` };
}

/** A KubeletConfiguration object (configz or a file) as kubelet facts. */
export function kubeletConfigFacts(obj: K8sObject): ConfigFacts {
  const { apiVersion: _a, kind: _k, metadata, ...config } = obj;
  const from = metadata?.annotations?.[CONFIGZ_ANNOTATION];
  return { config, where: from ? `${from}` : `KubeletConfiguration ${metadata?.name ?? ''}`.trim(), effective: !!from };
}

/** kube-proxy's configuration from the kubeadm ConfigMap (kube-system/kube-proxy, key config.conf). */
export function kubeProxyConfigFacts(cm: K8sObject): ConfigFacts | undefined {
  const data = cm['data'];
  if (!isObj(data)) return undefined;
  const text = data['config.conf'];
  if (typeof text !== 'string') return undefined;
  try {
    const config = yamlLib().parse(text, { logLevel: 'error' }) as unknown;
    if (!isObj(config)) return undefined;
    return { config, where: `configmap kube-system/${cm.metadata?.name ?? 'kube-proxy'} config.conf`, effective: false };
  } catch {
    return undefined;
  }
}

export interface NodeScope {
  /** The node (or `cluster` for what is not tied to one node). */
  node: string;
  facts: CisFacts;
}

/**
 * CIS facts per node, as the API shows them: each control-plane node with its static pods, each
 * node with its kubelet configuration, kube-proxy's from the ConfigMap. Sorted by node name.
 */
export function apiFacts(inv: Inventory): NodeScope[] {
  const byNode = new Map<string, CisFacts>();
  const at = (node: string): CisFacts => {
    let f = byNode.get(node);
    if (!f) byNode.set(node, (f = { access: 'api', components: {} }));
    return f;
  };
  for (const item of inv.byKind('Pod')) {
    const pod = item.object;
    if (inv.namespaceOf(pod) !== 'kube-system') continue;
    const cc = componentContainer(pod);
    if (!cc || cc.component === 'kube-proxy') continue;
    const spec = pod['spec'];
    const node = isObj(spec) && typeof spec['nodeName'] === 'string' ? spec['nodeName'] : (pod.metadata?.name ?? '').replace(new RegExp(`^${cc.component}-`), '') || 'unknown';
    const f = at(node);
    if (!f.components[cc.component]) f.components[cc.component] = componentFacts(pod, cc);
  }
  for (const item of inv.byKind('KubeletConfiguration')) {
    const name = item.object.metadata?.name || 'unknown';
    const f = at(name);
    f.kubeletConfig ??= kubeletConfigFacts(item.object);
  }
  const cm = inv.get('ConfigMap', 'kube-system', 'kube-proxy');
  const proxy = cm ? kubeProxyConfigFacts(cm.object) : undefined;
  if (proxy) for (const f of byNode.values()) f.kubeProxyConfig = proxy;
  if (byNode.size === 0) byNode.set('cluster', { access: 'api', components: {}, ...(proxy ? { kubeProxyConfig: proxy } : {}) });
  return [...byNode.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([node, facts]) => ({ node, facts }));
}
