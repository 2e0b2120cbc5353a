/**
 * What a practitioner wants to know of each node at a glance: versions, OS, runtime, kernel,
 * public addresses, cloud placement, taints and bad conditions, and the known vulnerabilities and
 * end-of-life dates of its versions (from kordon's dated data).
 */
import type { Inventory } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import type { NodeData } from './data.js';
import { apiServerVersion, kernelEscapes, kubernetesEndOfLife, kubernetesVulnerabilities, nodeInfoOf, osEndOfLife, runtimeEscapes, type NodeInfo } from './node-versions.js';

export interface NodeSummary {
  name: string;
  info: NodeInfo;
  /** ExternalIP addresses. */
  publicAddresses: string[];
  /** Cloud placement from the well-known labels. */
  placement: { provider?: string; region?: string; zone?: string; instanceType?: string };
  taints: string[];
  /** Conditions that are not as they should be (Ready not True, pressure True). */
  badConditions: string[];
  /** Known vulnerabilities and end-of-life of its versions, one line each. */
  versionIssues: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function providerOf(node: K8sObject): string | undefined {
  const spec = node['spec'];
  const id = isObj(spec) && typeof spec['providerID'] === 'string' ? spec['providerID'] : '';
  const m = /^([a-z]+):\/\//.exec(id);
  return m?.[1];
}

export function versionIssues(data: NodeData, info: NodeInfo): string[] {
  const out: string[] = [];
  if (info.kubeletVersion) {
    for (const h of kubernetesVulnerabilities(data, 'kubelet', info.kubeletVersion, info.operatingSystem)) out.push(`kubelet ${info.kubeletVersion}: ${h.id} (${h.rating ?? 'unrated'}), fixed in ${h.fixed ?? 'no release yet'}`);
    const eol = kubernetesEndOfLife(data, info.kubeletVersion);
    if (eol) out.push(`kubelet ${info.kubeletVersion}: Kubernetes ${eol.minor} reached its end of life on ${eol.eol}`);
  }
  if (info.containerRuntimeVersion) for (const h of runtimeEscapes(data, info.containerRuntimeVersion)) out.push(`${info.containerRuntimeVersion}: ${h.id} (container escape), fixed in ${h.fixed ?? 'no release yet'}`);
  if (info.kernelVersion) {
    const k = kernelEscapes(data, info.kernelVersion);
    if (k === undefined) out.push(`kernel ${info.kernelVersion}: a distribution kernel (fixes are backported): not judged by version, check the distribution's advisories`);
    else for (const h of k) out.push(`kernel ${info.kernelVersion}: ${h.id} (container escape), fixed in ${h.fixed ?? 'a newer stable line'}`);
  }
  if (info.osImage) {
    const eol = osEndOfLife(data, info.osImage);
    if (eol) out.push(`${info.osImage}: end of standard support on ${eol.eol}`);
  }
  return out;
}

export function nodeSummaries(inv: Inventory, data: NodeData): NodeSummary[] {
  const out: NodeSummary[] = [];
  const api = apiServerVersion(inv);
  for (const item of inv.byKind('Node')) {
    const node = item.object;
    const info = nodeInfoOf(node);
    const status = isObj(node['status']) ? node['status'] : {};
    const addresses = Array.isArray(status['addresses']) ? (status['addresses'] as unknown[]) : [];
    const publicAddresses = addresses.filter((a): a is { type: string; address: string } => isObj(a) && a['type'] === 'ExternalIP' && typeof a['address'] === 'string').map((a) => a.address);
    const labels = node.metadata.labels ?? {};
    const placement: NodeSummary['placement'] = {};
    const provider = providerOf(node);
    if (provider) placement.provider = provider;
    const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'];
    const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'];
    const type = labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'];
    if (region) placement.region = region;
    if (zone) placement.zone = zone;
    if (type) placement.instanceType = type;
    const spec = isObj(node['spec']) ? node['spec'] : {};
    const taints = (Array.isArray(spec['taints']) ? (spec['taints'] as unknown[]) : []).filter(isObj).map((t) => `${String(t['key'] ?? '')}${t['value'] ? `=${String(t['value'])}` : ''}:${String(t['effect'] ?? '')}`);
    const badConditions = (Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]) : []).filter(isObj).filter((c) => (c['type'] === 'Ready' ? c['status'] !== 'True' : c['status'] === 'True' && /Pressure|Unavailable/.test(String(c['type'])))).map((c) => `${String(c['type'])}=${String(c['status'])}`);
    const issues = versionIssues(data, info);
    if (api && info.kubeletVersion) {
      const a = /^v?1\.(\d+)/.exec(api);
      const k = /^v?1\.(\d+)/.exec(info.kubeletVersion);
      if (a && k) {
        const behind = Number(a[1]) - Number(k[1]);
        if (behind < 0) issues.push(`kubelet ${info.kubeletVersion} is newer than the API server ${api}`);
        else if (behind > (Number(a[1]) >= 28 ? 3 : 2)) issues.push(`kubelet ${info.kubeletVersion} is ${behind} minor versions behind the API server ${api}`);
      }
    }
    out.push({ name: node.metadata.name ?? '', info, publicAddresses, placement, taints, badConditions, versionIssues: issues });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function formatNodeSummaries(list: NodeSummary[]): string[] {
  const out: string[] = [];
  for (const n of list) {
    const i = n.info;
    out.push(`${n.name}: kubelet ${i.kubeletVersion ?? '?'}, ${i.osImage ?? '?'}, kernel ${i.kernelVersion ?? '?'}, ${i.containerRuntimeVersion ?? '?'}`);
    const place = [n.placement.provider, n.placement.region, n.placement.zone, n.placement.instanceType].filter(Boolean).join(' ');
    if (place) out.push(`   cloud: ${place}`);
    if (n.publicAddresses.length) out.push(`   public addresses: ${n.publicAddresses.join(', ')}`);
    if (n.taints.length) out.push(`   taints: ${n.taints.join(', ')}`);
    if (n.badConditions.length) out.push(`   conditions: ${n.badConditions.join(', ')}`);
    for (const v of n.versionIssues) out.push(`   ! ${v}`);
  }
  return out;
}
