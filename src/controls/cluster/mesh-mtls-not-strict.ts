import { defineControl } from '../../engine/types.js';
import type { InventoryObject } from '../../inventory/types.js';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const byId = (a: InventoryObject, b: InventoryObject): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function modeOf(v: unknown): string {
  return isObj(v) && typeof v['mode'] === 'string' ? v['mode'].toUpperCase() : 'UNSET';
}

export default defineControl({
  id: 'KOR-0842',
  name: 'mesh-mtls-not-strict',
  title: 'Istio accepts plaintext traffic (mTLS not strict)',
  description:
    'The NSA-CISA guide (audit logging: service meshes; network separation: encryption) presents a service mesh as the way to encrypt and authenticate pod-to-pod traffic with mutual TLS and to log it. A mesh is an option, so a cluster without one is not reported; where Istio runs, its default is PERMISSIVE: sidecars also accept plaintext, so any pod outside the mesh (or an attacker on the pod network) talks to meshed workloads unauthenticated and unencrypted. Reported: every PeerAuthentication that sets mode PERMISSIVE or DISABLE (for the whole object or a port), and, when istiod is in the inputs, the absence of a mesh-wide PeerAuthentication (in istiod\'s root namespace, without a selector) with mode STRICT. Linkerd encrypts meshed traffic by default and is not judged.',
  layer: 'cluster',
  guard: 'authentication',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'medium',
  frameworks: { nsa: ['service-meshes', 'encryption'], mitre: ['T1557'] },
  remediation: 'Add a PeerAuthentication named default without a selector in the mesh\'s root namespace (istio-system) with `mtls: {mode: STRICT}`, after checking that every client of a meshed workload has a sidecar; remove PERMISSIVE and DISABLE overrides.',
  messages: {
    weakened: 'PeerAuthentication {{name}} sets mTLS to {{mode}} for {{scope}}: plaintext connections are accepted.',
    meshDefault: 'Istio runs without a mesh-wide PeerAuthentication in {{root}} setting mTLS to STRICT: meshed workloads also accept plaintext (PERMISSIVE, Istio\'s default).',
  },
  targets: 'inventory',
  kinds: ['PeerAuthentication', 'Deployment'],
  check(inv, ctx) {
    const pas = inv.byKind('PeerAuthentication').filter((p) => (p.object.apiVersion ?? '').startsWith('security.istio.io/')).sort(byId);
    // istiod, or a revisioned control plane (istiod-1-24-2, labelled app: istiod)
    const isIstiod = (d: InventoryObject): boolean => {
      const name = d.object.metadata?.name ?? '';
      return name === 'istiod' || name.startsWith('istiod-') || d.object.metadata?.labels?.['app'] === 'istiod';
    };
    const istiod = inv.byKind('Deployment').filter(isIstiod).sort(byId)[0];
    const root = istiod ? inv.namespaceOf(istiod.object) ?? 'istio-system' : 'istio-system';
    let meshWide: string | undefined;
    for (const pa of pas) {
      const spec = isObj(pa.object['spec']) ? pa.object['spec'] : {};
      const ns = inv.namespaceOf(pa.object) ?? 'default';
      const selected = isObj(spec['selector']) && isObj(spec['selector']['matchLabels']) && Object.keys(spec['selector']['matchLabels']).length > 0;
      const isMeshWide = ns === root && !selected;
      const scope = isMeshWide ? 'the whole mesh' : selected ? `the selected workloads of namespace ${ns}` : `namespace ${ns}`;
      const name = `${ns}/${pa.object.metadata?.name ?? ''}`;
      const mode = modeOf(spec['mtls']);
      if (isMeshWide) meshWide = mode === 'UNSET' ? meshWide ?? 'UNSET' : mode;
      if (mode === 'PERMISSIVE' || mode === 'DISABLE') ctx.report('weakened', { name, mode, scope }, '/spec/mtls/mode', { object: pa });
      const ports = isObj(spec['portLevelMtls']) ? spec['portLevelMtls'] : {};
      for (const port of Object.keys(ports).sort()) {
        const pm = modeOf(ports[port]);
        if (pm === 'PERMISSIVE' || pm === 'DISABLE') ctx.report('weakened', { name, mode: pm, scope: `port ${port} of ${scope}` }, `/spec/portLevelMtls/${port}/mode`, { object: pa });
      }
    }
    // a mesh-wide PERMISSIVE/DISABLE was reported on its object; an absent or UNSET one on istiod
    if (istiod && (meshWide === undefined || meshWide === 'UNSET')) ctx.report('meshDefault', { root }, '/metadata/name', { object: istiod });
  },
});
