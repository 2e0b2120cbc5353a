/**
 * Controls made from CIS items (the data-only controls of docs/adr: one template, many checks):
 * each judges the items it lists on a control-plane pod's command line, a KubeletConfiguration or
 * the kube-proxy ConfigMap, and reports every failed item with the flag or field it concerns.
 * The messages name the item and the setting, never the values of the command line.
 */
import { defineControl, type ObjectControl, type Severity, type SeverityCase, type Layer, type Guard, type Phase, type Effort, type FrameworkRefs } from '../engine/types.js';
import type { K8sObject } from '../inventory/types.js';
import { componentContainer, componentFacts, kubeletConfigFacts, kubeProxyConfigFacts } from './api-facts.js';
import { cisItem, type CisItem } from './cis.js';
import type { CisFacts, Component } from './facts.js';

const RANK: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const cap = (s: Severity, max: Severity): Severity => (RANK.indexOf(s) > RANK.indexOf(max) ? max : s);

const REASONS: Record<Severity, string> = {
  critical: 'Lets anyone who reaches the component control the cluster or read its data without credentials.',
  high: 'Weakens authentication, authorization or the protection of credentials and stored data.',
  medium: 'Weakens defence in depth or the evidence needed after an incident.',
  low: 'Hardening the benchmark recommends; little exposure on its own.',
  info: 'A setting to review against the needs of the cluster.',
};

export interface CisControlSpec {
  id: string;
  name: string;
  title: string;
  description: string;
  guard?: Guard;
  severity: Severity;
  effort: Effort;
  remediation: string;
  /** CIS item ids judged (they become frameworks.cis). */
  items: string[];
  /** What the control reads: a component's pod, the kubelet configuration, or kube-proxy's ConfigMap. */
  on: Exclude<Component, 'kubelet' | 'kube-proxy'> | 'kubelet' | 'kube-proxy';
  nsa?: string[];
  mitre?: string[];
  phases?: Phase[];
  layer?: Layer;
}

type M = 'failed';

export function cisControl(spec: CisControlSpec): ObjectControl<M> {
  const items: CisItem[] = spec.items.map((id) => {
    const it = cisItem(id);
    if (!it) throw new Error(`${spec.id}: unknown CIS item ${id}`);
    return it;
  });
  const severities = [...new Set(items.map((i) => cap(i.severity, spec.severity)))].sort((a, b) => RANK.indexOf(b) - RANK.indexOf(a));
  const severityTable: SeverityCase[] | undefined = severities.length > 1 || severities[0] !== spec.severity
    ? [...severities, ...(severities.includes(spec.severity) ? [] : [spec.severity])].map((s) => ({ case: items.filter((i) => cap(i.severity, spec.severity) === s).map((i) => `CIS ${i.id}`).join(', ') || `none of the items (the control's ceiling)`, severity: s, reason: REASONS[s] }))
    : undefined;
  const frameworks: FrameworkRefs = { cis: spec.items, ...(spec.nsa ? { nsa: spec.nsa } : {}), ...(spec.mitre ? { mitre: spec.mitre } : {}) };
  const kinds = spec.on === 'kubelet' ? ['KubeletConfiguration'] : spec.on === 'kube-proxy' ? ['ConfigMap'] : ['Pod'];
  return defineControl<M>({
    id: spec.id,
    name: spec.name,
    title: spec.title,
    description: spec.description,
    layer: spec.layer ?? 'cloud',
    dimensions: ['Security'],
    ...(spec.guard ? { guard: spec.guard } : {}),
    phases: spec.phases ?? ['develop', 'runtime'],
    severity: spec.severity,
    effort: spec.effort,
    frameworks,
    remediation: spec.remediation,
    messages: { failed: '{{component}} fails CIS {{cis}} ({{field}}).' },
    ...(severityTable ? { severityTable } : {}),
    targets: 'object',
    kinds,
    check(obj, ctx) {
      const judged = factsOf(spec.on, obj);
      if (!judged) return;
      for (const it of items) {
        const a = it.check(judged.facts);
        if (a.status !== 'fail') continue;
        const field = a.field ?? a.path ?? it.id;
        ctx.report('failed', { cis: it.id, component: judged.label, field }, judged.pointer(field), { severity: cap(it.severity, spec.severity) });
      }
    },
  });
}

interface Judged {
  facts: CisFacts;
  label: string;
  pointer(field: string): string;
}

function factsOf(on: CisControlSpec['on'], obj: K8sObject): Judged | undefined {
  if (on === 'kubelet') {
    const cfg = kubeletConfigFacts(obj);
    return {
      facts: { access: 'api', components: {}, kubeletConfig: cfg },
      label: obj.metadata?.name ? `The kubelet of node ${obj.metadata.name}` : 'The kubelet',
      pointer: (field) => (field.startsWith('--') ? '' : pointerIfPresent(obj, field)),
    };
  }
  if (on === 'kube-proxy') {
    if (obj.metadata?.name !== 'kube-proxy' || (obj.metadata.namespace ?? 'kube-system') !== 'kube-system') return undefined;
    const cfg = kubeProxyConfigFacts(obj);
    if (!cfg) return undefined;
    return { facts: { access: 'api', components: {}, kubeProxyConfig: cfg }, label: 'kube-proxy', pointer: () => '/data/config.conf' };
  }
  const cc = componentContainer(obj);
  if (!cc || cc.component !== on) return undefined;
  const f = componentFacts(obj, cc);
  return {
    facts: { access: 'api', components: { [on]: f } },
    label: COMPONENT_LABEL[on] ?? on,
    pointer: (field) => {
      const name = field.replace(/^--/, '');
      const i = f.flags.index.get(name);
      return i !== undefined && cc.pointers[i] ? cc.pointers[i]! : `/spec/containers/${cc.container}/${cc.pointers.some((p) => p.includes('/command/')) ? 'command' : 'args'}`;
    },
  };
}

/** How messages name a component (not the binary's name: command lines are not repeated). */
export const COMPONENT_LABEL: Record<string, string> = {
  'kube-apiserver': 'The API server',
  'kube-controller-manager': 'The controller manager',
  'kube-scheduler': 'The scheduler',
  etcd: 'etcd',
};

function pointerIfPresent(obj: K8sObject, dotted: string): string {
  let cur: unknown = obj;
  const segs: string[] = [];
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) break;
    cur = (cur as Record<string, unknown>)[k];
    segs.push(k);
  }
  return segs.length ? '/' + segs.join('/') : '';
}
