/** ConfigMaps and Secrets a pod spec refers to (volumes, env, envFrom, image pull secrets), with their pointers. */
import type { Inventory } from '../../inventory/inventory.js';
import { apiGroupOf } from '../../inventory/inventory.js';
import { podSpecOf, type PodSpec } from '../../inventory/podspec.js';
import { authorize } from '../../rbac/authorize.js';
import { rbacIndexOf, userInfoFor } from '../../rbac/model.js';
import { podContainers } from './pod.js';
import { asRecord } from './workloads.js';

export interface Reference {
  name: string;
  /** Relative to the pod spec. */
  pointer: string;
  where: string;
}

/** Required (not `optional: true`) references to objects of `kind` in a pod spec. */
export function referencesOf(spec: PodSpec, kind: 'ConfigMap' | 'Secret'): Reference[] {
  const out: Reference[] = [];
  const add = (name: unknown, optional: unknown, pointer: string, where: string): void => {
    if (typeof name === 'string' && name !== '' && optional !== true) out.push({ name, pointer, where });
  };
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v, i) => {
    const vol = asRecord(v);
    if (!vol) return;
    if (kind === 'ConfigMap') {
      const cm = asRecord(vol['configMap']);
      if (cm) add(cm['name'], cm['optional'], `/volumes/${i}/configMap/name`, `volume "${String(vol['name'])}"`);
    } else {
      const s = asRecord(vol['secret']);
      if (s) add(s['secretName'], s['optional'], `/volumes/${i}/secret/secretName`, `volume "${String(vol['name'])}"`);
    }
    const sources = asRecord(vol['projected'])?.['sources'];
    (Array.isArray(sources) ? sources : []).forEach((src, j) => {
      const r = asRecord(asRecord(src)?.[kind === 'ConfigMap' ? 'configMap' : 'secret']);
      if (r) add(r['name'], r['optional'], `/volumes/${i}/projected/sources/${j}/${kind === 'ConfigMap' ? 'configMap' : 'secret'}/name`, `volume "${String(vol['name'])}"`);
    });
  });
  for (const c of podContainers(spec)) {
    const env = Array.isArray(c.container.env) ? c.container.env : [];
    env.forEach((e, i) => {
      const from = asRecord(asRecord(e)?.['valueFrom']);
      const ref = asRecord(from?.[kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef']);
      if (ref) add(ref['name'], ref['optional'], `${c.pointer}/env/${i}/valueFrom/${kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef'}/name`, `container "${c.container.name}"`);
    });
    const envFrom = Array.isArray(c.container.envFrom) ? c.container.envFrom : [];
    envFrom.forEach((e, i) => {
      const ref = asRecord(asRecord(e)?.[kind === 'ConfigMap' ? 'configMapRef' : 'secretRef']);
      if (ref) add(ref['name'], ref['optional'], `${c.pointer}/envFrom/${i}/${kind === 'ConfigMap' ? 'configMapRef' : 'secretRef'}/name`, `container "${c.container.name}"`);
    });
  }
  return out;
}

/** Names of Secrets other objects of the namespace produce (ExternalSecret, SealedSecret, cert-manager Certificate, ...). */
const produced = new WeakMap<Inventory, Map<string, Set<string>>>();

export function producedSecrets(inv: Inventory, ns: string): ReadonlySet<string> {
  let byNs = produced.get(inv);
  if (!byNs) produced.set(inv, (byNs = new Map()));
  const cached = byNs.get(ns);
  if (cached) return cached;
  const out = new Set<string>();
  byNs.set(ns, out);
  for (const o of inv.inNamespace(ns)) {
    const group = typeof o.object.apiVersion === 'string' ? apiGroupOf(o.object.apiVersion) : '';
    const spec = asRecord(o.object['spec']);
    if (group === 'cert-manager.io' && o.object.kind === 'Certificate' && typeof spec?.['secretName'] === 'string') out.add(spec['secretName']);
    else if (group === 'external-secrets.io' && o.object.kind === 'ExternalSecret') {
      const target = asRecord(spec?.['target'])?.['name'];
      out.add(typeof target === 'string' ? target : (o.object.metadata.name ?? ''));
    } else if (group === 'bitnami.com' && o.object.kind === 'SealedSecret') out.add(o.object.metadata.name ?? '');
    else if (group === 'secrets-store.csi.x-k8s.io' && o.object.kind === 'SecretProviderClass') {
      const objs = spec?.['secretObjects'];
      for (const so of Array.isArray(objs) ? objs : []) {
        const n = asRecord(so)?.['secretName'];
        if (typeof n === 'string') out.add(n);
      }
    } else if (group.endsWith('onepassword.com') || group === 'vault.banzaicloud.com' || group === 'secrets.hashicorp.com') {
      const n = asRecord(spec?.['destination'])?.['name'];
      out.add(typeof n === 'string' ? n : (o.object.metadata.name ?? ''));
    }
  }
  return out;
}

const writers = new WeakMap<Inventory, Map<string, string | null>>();

/**
 * A workload of the namespace whose service account may create Secrets there (by the RBAC of the
 * inputs, built-in roles included), as `Kind "name"`; null when there is none. Such a workload
 * may make a Secret at run time that no manifest holds: an init container generating a password
 * (a GitOps server's Redis), a Job writing a webhook's certificate (an ingress controller's
 * admission Secret). Once per namespace.
 */
export function secretWriterIn(inv: Inventory, ns: string): string | null {
  let byNs = writers.get(inv);
  if (!byNs) writers.set(inv, (byNs = new Map()));
  const cached = byNs.get(ns);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  const asked = new Set<string>();
  const index = rbacIndexOf(inv);
  for (const o of inv.inNamespace(ns)) {
    const ps = podSpecOf(o.object);
    if (!ps) continue;
    const account = (typeof ps.spec.serviceAccountName === 'string' && ps.spec.serviceAccountName) || (typeof ps.spec.serviceAccount === 'string' && ps.spec.serviceAccount) || 'default';
    if (asked.has(account)) continue;
    asked.add(account);
    const decision = authorize(index, { ...userInfoFor({ kind: 'ServiceAccount', name: account, namespace: ns }), verb: 'create', apiGroup: '', resource: 'secrets', namespace: ns } as Parameters<typeof authorize>[1]);
    if (decision.allowed) {
      found = `${o.object.kind} "${o.object.metadata.name ?? ''}"`;
      break;
    }
  }
  byNs.set(ns, found);
  return found;
}
