/** The CIS report from API objects (a cluster or snapshot): control-plane nodes and kubelets. */
import type { Inventory } from '../inventory/inventory.js';
import { apiFacts } from './api-facts.js';
import { nodeReport, scopeReport, type NodeReport, type ScopeReport } from './report.js';
import { dataAgeDays, type NodeData } from './data.js';
import { nodeSummaries } from './node-summary.js';

/**
 * Sections 1–3 on each node that runs control-plane static pods (or once for the cluster when
 * none does: then they need node access), section 4 on each node whose kubelet configuration was
 * read (or once for all nodes when none was).
 */
export function apiNodeReport(inv: Inventory, data: NodeData, now: Date): NodeReport {
  const scopes = apiFacts(inv);
  const out: ScopeReport[] = [];
  const controlPlane = scopes.filter((s) => s.facts.components['kube-apiserver'] || s.facts.components.etcd || s.facts.components['kube-controller-manager'] || s.facts.components['kube-scheduler']);
  const kubelets = scopes.filter((s) => s.facts.kubeletConfig);
  const proxy = scopes.find((s) => s.facts.kubeProxyConfig)?.facts.kubeProxyConfig;
  const names = new Set([...controlPlane, ...kubelets].map((s) => s.node));
  for (const s of scopes) {
    if (!names.has(s.node)) continue;
    const sections = [...(controlPlane.includes(s) ? ['1', '2', '3'] : []), ...(kubelets.includes(s) ? ['4'] : [])];
    out.push(scopeReport(`node ${s.node}`, s.facts, sections));
  }
  if (controlPlane.length === 0) out.unshift(scopeReport('control plane (no static pods visible)', { access: 'api', components: {} }, ['1', '2', '3']));
  if (kubelets.length === 0) out.push(scopeReport('nodes (no kubelet configuration read)', { access: 'api', components: {}, ...(proxy ? { kubeProxyConfig: proxy } : {}) }, ['4']));
  const report = nodeReport('api', out, [], [...inv.problems], { updated: data.updated, ageDays: dataAgeDays(data, now) });
  const nodes = nodeSummaries(inv, data);
  return nodes.length ? { ...report, nodes } : report;
}
