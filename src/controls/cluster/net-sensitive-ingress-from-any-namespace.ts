import { defineControl } from '../../engine/types.js';
import { networkAnalysis } from '../../network/analysis.js';
import type { Workload } from '../../network/model.js';

const DATA_STORE = /(^|[-_.])(postgres(ql)?|pg|mysql|mariadb|mongo(db)?|redis|valkey|cassandra|scylla|elasticsearch|opensearch|etcd|kafka|zookeeper|rabbitmq|nats|memcached|couchdb|influxdb|clickhouse|cockroach(db)?|database|db|vault)($|[-_.\d])/i;
const ROLE_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'tier', 'role'];

/** Why a workload is sensitive, or undefined. */
export function sensitivityOf(w: Workload): string | undefined {
  if (w.namespace === 'kube-system') return 'runs in kube-system';
  for (const key of ROLE_LABELS) {
    const v = w.labels[key];
    if (v !== undefined && DATA_STORE.test(v)) return `is a data store (${key}=${v})`;
  }
  const secretVolume = (w.podSpec.volumes ?? []).find((v) => v?.secret || (v?.projected?.sources ?? []).some((s) => s && typeof s === 'object' && 'secret' in s));
  if (secretVolume) return `mounts a Secret (volume "${secretVolume.name}")`;
  return undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function emptySelector(v: unknown): boolean {
  const s = obj(v);
  return !!s && Object.keys(obj(s['matchLabels']) ?? {}).length === 0 && (Array.isArray(s['matchExpressions']) ? s['matchExpressions'].length : 0) === 0;
}

/** Ingress rules opening sensitive workloads to every namespace. */
export default defineControl({
  id: 'KOR-0306',
  name: 'net-sensitive-ingress-from-any-namespace',
  title: 'Sensitive workload open to every namespace',
  description:
    'Databases, system components and pods that mount Secrets should accept connections only from the few workloads that use them. An ingress rule with `namespaceSelector: {}` (and no pod restriction), or with no `from` at all, lets any pod of any namespace (and, without `from`, any address) connect: one compromised tenant reaches the crown jewels.',
  layer: 'cluster',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['network-policies'], mitre: ['T1021', 'T1210'] },
  remediation: 'Restrict the rule to the client workloads: a namespaceSelector on the client namespace combined (in the same peer) with a podSelector on the client pods.',
  messages: {
    anyNamespace: '{{policy}} lets pods of every namespace reach {{workload}}, which {{why}} (ingress rule {{rule}}).',
    anySource: '{{policy}} ingress rule {{rule}} has no `from`: every pod and address may reach {{workload}}, which {{why}}.',
  },
  targets: 'inventory',
  kinds: ['NetworkPolicy'],
  check(inventory, ctx) {
    const net = networkAnalysis(inventory);
    for (const p of net.engine.set.policies) {
      if (p.tier !== 'networkpolicy' || !p.covers.has('ingress')) continue;
      const sensitive = net.subjectOf(p).map((w) => [w, sensitivityOf(w)] as const).filter(([, why]) => why !== undefined);
      if (sensitive.length === 0) continue;
      const [w, why] = sensitive[0]!;
      const workload = sensitive.length > 1 ? `${w.display} (and ${sensitive.length - 1} more)` : w.display;
      const rules = ((obj(p.item.object['spec']) ?? {})['ingress'] as unknown[] | undefined) ?? [];
      rules.forEach((raw, ri) => {
        const from = obj(raw)?.['from'];
        if (!Array.isArray(from) || from.length === 0) {
          ctx.report('anySource', { policy: p.label, rule: String(ri), workload, why: why! }, `/spec/ingress/${ri}`, { object: p.item });
          return;
        }
        from.forEach((peer, pi) => {
          const pe = obj(peer) ?? {};
          if (emptySelector(pe['namespaceSelector']) && (pe['podSelector'] === undefined || emptySelector(pe['podSelector']))) {
            ctx.report('anyNamespace', { policy: p.label, rule: `${ri}.from[${pi}]`, workload, why: why! }, `/spec/ingress/${ri}/from/${pi}`, { object: p.item });
          }
        });
      });
    }
  },
});
