import { defineControl } from '../../engine/types.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { K8sObject } from '../../inventory/types.js';
import { asRecord, declaredReplicas, hasController, servicesSelecting, specOf } from '../support/workloads.js';

/**
 * A single pod that writes a ReadWriteOnce (or ReadWriteOncePod) claim: RollingUpdate would start
 * the new pod while the old one holds the volume, and the new one waits for the volume (on another
 * node, forever; ReadWriteOncePod even on the same node), so Recreate is the right strategy. A
 * claim the inputs do not hold counts as such (most claims are ReadWriteOnce; kordon does not guess
 * against the author's choice).
 */
function singleWriterOfOnceVolume(inv: Inventory, object: K8sObject): boolean {
  if (declaredReplicas(object) > 1) return false;
  const tpl = asRecord(specOf(object)['template']);
  const volumes = asRecord(tpl?.['spec'])?.['volumes'];
  if (!Array.isArray(volumes)) return false;
  const ns = inv.namespaceOf(object);
  return volumes.some((v) => {
    const claimName = asRecord(asRecord(v)?.['persistentVolumeClaim'])?.['claimName'];
    if (typeof claimName !== 'string' || claimName === '') return false;
    const claim = inv.get('PersistentVolumeClaim', ns, claimName);
    if (!claim) return true;
    const modes = asRecord(claim.object['spec'])?.['accessModes'];
    return Array.isArray(modes) && modes.some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod');
  });
}

export default defineControl({
  id: 'KOR-0745',
  name: 'recreate-strategy-behind-service',
  title: 'Service-backed Deployment updated with Recreate',
  description:
    'The Recreate strategy stops every old pod before starting a new one: each rollout of a Deployment that serves a Service is an outage lasting as long as the new pods take to become ready. Recreate is meant for workloads that cannot run two versions at once; elsewhere RollingUpdate keeps serving. Not reported for a single-replica Deployment that mounts a ReadWriteOnce or ReadWriteOncePod claim (or a claim the inputs do not hold): there RollingUpdate would start the new pod while the old one holds the volume and wait for it, so Recreate is the correct strategy.',
  layer: 'cluster',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'low',
  effort: 'low',
  frameworks: {},
  remediation: 'Use `strategy.type: RollingUpdate` (with maxUnavailable 0 or 25% and readiness probes), unless two versions truly cannot run side by side.',
  messages: { recreate: 'Deployment "{{name}}" serves Service {{services}} but uses the Recreate strategy: every rollout is an outage.' },
  targets: 'object',
  kinds: ['Deployment'],
  check(object, ctx) {
    if (hasController(object)) return;
    if (asRecord(specOf(object)['strategy'])?.['type'] !== 'Recreate') return;
    const services = servicesSelecting(ctx.inventory, object);
    if (services.length === 0) return;
    if (singleWriterOfOnceVolume(ctx.inventory, object)) return;
    ctx.report('recreate', { name: object.metadata.name ?? '', services: services.map((s) => `"${s.object.metadata.name ?? ''}"`).sort().join(', ') }, '/spec/strategy/type');
  },
});
