/**
 * What the API server does to a Pod before PodSecurity admission sees it, where it changes the
 * verdict or its wording: defaulting (`SetDefaults_Pod`: with hostNetwork, each container port's
 * hostPort defaults to its containerPort) and the create strategy (the deprecated AppArmor
 * annotations are copied into the containers' appArmorProfile fields). Pod templates of workloads
 * get neither. Volumes without a source (defaulted to emptyDir) are handled by the check itself.
 */
import { list, rec, securityContextOf, str, visitContainers, isWindowsPod, type Rec } from './access.js';
import { APPARMOR_ANNOTATION_PREFIX } from './checks/apparmor-profile.js';
import type { PssPodMetadata } from './types.js';

export interface PreparedPod {
  podMetadata: PssPodMetadata;
  podSpec: Rec;
}

/** A copy of a Pod's metadata and spec as admission would receive them on create. Pure. */
export function prepareAsApiServer(kind: string, podMetadata: PssPodMetadata, podSpec: Rec): PreparedPod {
  if (kind !== 'Pod') return { podMetadata, podSpec };
  const spec = structuredClone(podSpec);
  if (spec['hostNetwork'] === true) defaultHostNetworkPorts(spec);
  syncAppArmorAnnotations(podMetadata, spec);
  return { podMetadata, podSpec: spec };
}

function defaultHostNetworkPorts(spec: Rec): void {
  for (const field of ['containers', 'initContainers']) {
    for (const c of list(spec[field])) {
      for (const p of list(rec(c)?.['ports'])) {
        const port = rec(p);
        if (!port) continue;
        const hostPort = port['hostPort'];
        if (hostPort === undefined || hostPort === null || hostPort === 0) port['hostPort'] = port['containerPort'];
      }
    }
  }
}

/** The field an AppArmor annotation value stands for (`podutil.ApparmorFieldForAnnotation`), when valid. */
function appArmorFieldFor(annotation: string): Rec | undefined {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  if (annotation.startsWith('localhost/')) {
    const profile = annotation.slice('localhost/'.length);
    if (profile !== '' && profile.trim() === profile && Buffer.byteLength(profile) <= 4095) return { type: 'Localhost', localhostProfile: profile };
  }
  return undefined;
}

function sameProfile(a: Rec, b: Rec | undefined): boolean {
  if (!b) return false;
  return str(a['type']) === str(b['type']) && (a['localhostProfile'] ?? null) === (b['localhostProfile'] ?? null);
}

function syncAppArmorAnnotations(meta: PssPodMetadata, spec: Rec): void {
  if (isWindowsPod(spec)) return;
  const annotations = rec(meta.annotations);
  if (!annotations) return;
  const podProfile = rec(securityContextOf(spec)?.['appArmorProfile']);
  for (const v of visitContainers(spec)) {
    const key = APPARMOR_ANNOTATION_PREFIX + v.name;
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) continue;
    const sc = securityContextOf(v.container);
    if (rec(sc?.['appArmorProfile'])) continue;
    const field = appArmorFieldFor(str(annotations[key]));
    if (!field || sameProfile(field, podProfile)) continue;
    if (sc) sc['appArmorProfile'] = field;
    else v.container['securityContext'] = { appArmorProfile: field };
  }
}
