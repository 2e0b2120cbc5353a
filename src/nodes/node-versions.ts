/**
 * Node and control-plane versions against kordon's dated data: Kubernetes vulnerabilities (OSV),
 * container-escape vulnerabilities of runtimes and kernels, end-of-life dates. Pure functions of
 * the versions and the data; the data's own date stands for "now" (a finding never changes by
 * itself from one day to the next; refresh the data to move it).
 */
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { componentContainer } from './api-facts.js';
import type { NodeData } from './data.js';
import { cmp, fixOf, imageVersion, inRange, kernelAffected, minorOf, parseKernel } from './versions.js';

export interface NodeInfo {
  kubeletVersion?: string;
  kernelVersion?: string;
  osImage?: string;
  containerRuntimeVersion?: string;
  operatingSystem?: string;
}

export function nodeInfoOf(node: K8sObject): NodeInfo {
  const status = node['status'];
  const info = status && typeof status === 'object' ? (status as Record<string, unknown>)['nodeInfo'] : undefined;
  if (!info || typeof info !== 'object') return {};
  const out: NodeInfo = {};
  for (const k of ['kubeletVersion', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'operatingSystem'] as const) {
    const v = (info as Record<string, unknown>)[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

export interface VersionHit {
  id: string;
  summary: string;
  fixed?: string;
  rating?: string;
}

const RATING_ORDER = ['Critical', 'High', 'Medium', 'Low', 'None'];

/** Kubernetes vulnerabilities of a component (`kubelet`, `kube-apiserver`) at a version. */
export function kubernetesVulnerabilities(data: NodeData, component: string, version: string, platform?: string): VersionHit[] {
  const out: VersionHit[] = [];
  for (const v of data.kubernetes.vulnerabilities) {
    for (const a of v.affected) {
      if (a.package.name !== component) continue;
      const only = a.database_specific?.platform;
      if (only && platform !== undefined && only !== platform) continue;
      const ranges = a.ranges.filter((r) => r.type === 'SEMVER').map((r) => r.events);
      if (!ranges.some((r) => inRange(version, r))) continue;
      const fixed = fixOf(version, ranges);
      out.push({ id: v.id, summary: v.summary, ...(fixed ? { fixed } : {}), ...(v.database_specific?.cvss_rating ? { rating: v.database_specific.cvss_rating } : {}) });
    }
  }
  return out.sort((x, y) => RATING_ORDER.indexOf(x.rating ?? 'None') - RATING_ORDER.indexOf(y.rating ?? 'None') || (x.id < y.id ? -1 : 1));
}

/** `containerd://1.6.20` → the runtime and its version. */
export function runtimeOf(text: string): { runtime: string; version: string } | undefined {
  const m = /^([a-z0-9.-]+):\/\/v?(\d[^\s]*)$/.exec(text.trim());
  return m ? { runtime: m[1] === 'cri-o' ? 'cri-o' : m[1]!, version: m[2]! } : undefined;
}

export function runtimeEscapes(data: NodeData, runtimeVersion: string): Array<VersionHit & { condition?: string }> {
  const rt = runtimeOf(runtimeVersion);
  if (!rt) return [];
  return data.escapes.runtimes
    .filter((e) => e.runtime === rt.runtime && e.ranges.some((r) => inRange(rt.version, r)))
    .map((e) => {
      const fixed = fixOf(rt.version, e.ranges);
      return { id: e.id, summary: e.summary, ...(fixed ? { fixed } : {}), ...(e.condition ? { condition: e.condition } : {}) };
    });
}

/** Escape-class kernel vulnerabilities of an upstream kernel; distribution kernels are not judged (undefined). */
export function kernelEscapes(data: NodeData, kernelVersion: string): VersionHit[] | undefined {
  const k = parseKernel(kernelVersion);
  if (!k || k.distribution) return undefined;
  return data.escapes.kernels
    .filter((e) => e.escape && kernelAffected(k.upstream, e.introduced, e.fixed))
    .map((e) => {
      const line = minorOf(k.upstream);
      const fixed = e.fixed.find((f) => minorOf(f) === line);
      return { id: e.id, summary: e.name ? `${e.name}: ${e.summary}` : e.summary, ...(fixed ? { fixed } : {}) };
    });
}

export function kubernetesEndOfLife(data: NodeData, version: string): { minor: string; eol: string; estimated: boolean } | undefined {
  const minor = minorOf(version);
  if (!minor) return undefined;
  const row = data.endOfLife.kubernetes.find((r) => r.minor === minor);
  if (row) return row.eol < data.updated ? { minor, eol: row.eol, estimated: !!row.estimated } : undefined;
  // older than every listed minor: long past its end of life
  const oldest = [...data.endOfLife.kubernetes].sort((a, b) => cmp(a.minor, b.minor))[0];
  if (oldest && cmp(minor, oldest.minor) < 0) return { minor, eol: `before ${oldest.eol}`, estimated: false };
  return undefined;
}

export function osEndOfLife(data: NodeData, osImage: string): { name: string; eol: string } | undefined {
  for (const o of data.endOfLife.operatingSystems) {
    let re: RegExp;
    try {
      re = new RegExp(o.match);
    } catch {
      continue;
    }
    if (re.test(osImage) && o.eol < data.updated) return { name: o.name, eol: o.eol };
  }
  return undefined;
}

/** The kube-apiserver version of the control plane: the newest image tag of its static pods. */
const apiServerVersions = new WeakMap<Inventory, string | null>();

/** The newest kube-apiserver version among the control plane's static pods (once per inventory: every Node asks). */
export function apiServerVersion(inv: Inventory): string | undefined {
  const known = apiServerVersions.get(inv);
  if (known !== undefined) return known ?? undefined;
  const found = findApiServerVersion(inv);
  apiServerVersions.set(inv, found ?? null);
  return found;
}

function findApiServerVersion(inv: Inventory): string | undefined {
  let best: string | undefined;
  for (const item of inv.byKind('Pod')) {
    const cc = componentContainer(item.object);
    if (cc?.component !== 'kube-apiserver') continue;
    const spec = item.object['spec'] as { containers?: Array<{ image?: unknown }> } | undefined;
    const image = spec?.containers?.[cc.container]?.image;
    const v = typeof image === 'string' ? imageVersion(image) : undefined;
    if (v && (!best || cmp(v, best) > 0)) best = v;
  }
  return best;
}
