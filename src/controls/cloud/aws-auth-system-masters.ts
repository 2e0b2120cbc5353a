import { defineControl } from '../../engine/types.js';
import { yamlLib } from '../../util/yaml-lib.js';

const MAPS = ['mapRoles', 'mapUsers'] as const;

/** The entries of a mapRoles/mapUsers value (YAML or JSON text), or undefined when it does not parse. */
function entriesOf(text: string): unknown[] | undefined {
  try {
    // the yaml package loads on first use: only for an aws-auth ConfigMap
    const v = yamlLib().parse(text, { maxAliasCount: 100, logLevel: 'error' }) as unknown;
    return Array.isArray(v) ? v : v === null || v === undefined ? [] : undefined;
  } catch {
    return undefined;
  }
}

export default defineControl({
  id: 'KOR-0022',
  name: 'aws-auth-system-masters',
  title: 'EKS aws-auth maps an IAM identity to system:masters',
  description:
    'On EKS the `aws-auth` ConfigMap in kube-system turns IAM roles and users into Kubernetes users and groups. An entry with group `system:masters` makes that IAM identity a superuser that RBAC never sees: no binding to remove, no `kubectl auth can-i` that shows it, and everyone in AWS who can assume the role (often more people and CI systems than intended) is cluster administrator. EKS access entries with an access policy, or an RBAC group bound to a scoped role, give the same access visibly and revocably.',
  layer: 'cloud',
  dimensions: ['Security'],
  guard: 'authentication',
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.7'], nsa: ['authentication-authorization'], mitre: ['T1078.004', 'T1098'] },
  remediation: 'Map the IAM identity to a group of your own bound to the ClusterRole it needs (or use an EKS access entry with a scoped access policy), and keep cluster administration to a break-glass role.',
  messages: {
    masters: 'aws-auth {{map}} entry {{entry}} puts an IAM {{what}} into the superuser group, which RBAC never sees.',
    unreadable: 'aws-auth {{map}} is not a YAML list of mappings: EKS cannot read it either.',
  },
  targets: 'object',
  kinds: ['ConfigMap'],
  check(object, ctx) {
    if (object.metadata.name !== 'aws-auth' || object.metadata.namespace !== 'kube-system') return;
    const data = object['data'];
    if (!data || typeof data !== 'object') return;
    for (const map of MAPS) {
      const text = (data as Record<string, unknown>)[map];
      if (typeof text !== 'string') continue;
      const entries = entriesOf(text);
      if (!entries) {
        ctx.report('unreadable', { map }, `/data/${map}`);
        continue;
      }
      entries.forEach((e, i) => {
        if (!e || typeof e !== 'object') return;
        const groups = (e as { groups?: unknown }).groups;
        if (Array.isArray(groups) && groups.some((g) => typeof g === 'string' && g.trim() === 'system:masters')) {
          ctx.report('masters', { map, entry: i + 1, what: map === 'mapRoles' ? 'role' : 'user' }, `/data/${map}`);
        }
      });
    }
  },
});
