/**
 * `seccompProfile_baseline`: seccomp may not be turned off (annotations before v1.19, fields from v1.19).
 * `seccompProfile_restricted`: every container must run with RuntimeDefault or Localhost, set on the pod
 * or the container (v1.19+, replacing the baseline check; Windows pods are exempt from v1.25).
 */
import { isWindowsPod, pointerOf, rec, securityContextOf, setPatch, str, visitContainers } from '../access.js';
import { goQuote, joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation, type PssPodMetadata } from '../types.js';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validSeccompType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function validSeccompAnnotation(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompProfileBaseline_1_0(podMetadata: PssPodMetadata, podSpec: Record<string, unknown>): PssCheckOutcome {
  const annotations = rec(podMetadata.annotations) ?? {};
  const forbidden: string[] = [];
  const locations: PssLocation[] = [];
  const seen = new Set<string>();
  const consider = (key: string): void => {
    if (seen.has(key) || !Object.prototype.hasOwnProperty.call(annotations, key)) return;
    seen.add(key);
    const value = str(annotations[key]);
    if (validSeccompAnnotation(value)) return;
    forbidden.push(`${key}=${goQuote(value)}`);
    locations.push({
      scope: 'podMetadata',
      pointer: pointerOf('', 'annotations', key),
      message: `The annotation ${key} sets the seccomp profile "${value}".`,
      fix: [{ op: 'replace', path: pointerOf('', 'annotations', key), value: 'runtime/default' }],
    });
  };
  consider(SECCOMP_POD_ANNOTATION);
  for (const v of visitContainers(podSpec)) consider(SECCOMP_CONTAINER_ANNOTATION_PREFIX + v.name);
  if (forbidden.length === 0) return allowedOutcome();
  const list = sortedUnique(forbidden);
  return { allowed: false, reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`, locations };
}

interface ExplicitScan {
  setters: string[];
  badValues: string[];
  locations: PssLocation[];
  podValid: boolean;
  /** Containers without a seccompProfile of their own. */
  unset: Array<{ name: string }>;
}

/** Pod and containers that set a seccomp profile type other than RuntimeDefault or Localhost. */
function scanExplicit(podSpec: Record<string, unknown>): ExplicitScan {
  const setters: string[] = [];
  const badValues: string[] = [];
  const locations: PssLocation[] = [];
  let podValid = false;
  const podProfile = rec(securityContextOf(podSpec)?.['seccompProfile']);
  if (podProfile) {
    const type = str(podProfile['type']);
    if (!validSeccompType(type)) {
      setters.push('pod');
      badValues.push(type);
      locations.push({
        scope: 'podSpec',
        pointer: '/securityContext/seccompProfile/type',
        message: `The pod sets the seccomp profile type "${type}".`,
        fix: setPatch(podSpec, '', ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }),
      });
    } else podValid = true;
  }
  const bad: string[] = [];
  const unset: Array<{ name: string }> = [];
  for (const v of visitContainers(podSpec)) {
    const profile = rec(securityContextOf(v.container)?.['seccompProfile']);
    if (!profile) {
      unset.push({ name: v.name });
      continue;
    }
    const type = str(profile['type']);
    if (validSeccompType(type)) continue;
    bad.push(v.name);
    badValues.push(type);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'seccompProfile', 'type'),
      container: v.name,
      message: `Container "${v.name}" sets the seccomp profile type "${type}".`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }),
    });
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return { setters, badValues, locations, podValid, unset };
}

function explicitOutcome(scan: ExplicitScan): PssCheckOutcome {
  return {
    allowed: false,
    reason: 'seccompProfile',
    detail: `${scan.setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(scan.badValues))}`,
    locations: scan.locations,
  };
}

function seccompProfileBaseline_1_19(_meta: PssPodMetadata, podSpec: Record<string, unknown>): PssCheckOutcome {
  const scan = scanExplicit(podSpec);
  return scan.setters.length === 0 ? allowedOutcome() : explicitOutcome(scan);
}

function seccompProfileRestricted_1_19(_meta: PssPodMetadata, podSpec: Record<string, unknown>): PssCheckOutcome {
  const scan = scanExplicit(podSpec);
  if (scan.setters.length > 0) return explicitOutcome(scan);
  if (scan.podValid || scan.unset.length === 0) return allowedOutcome();
  const names = scan.unset.map((c) => c.name);
  return {
    allowed: false,
    reason: 'seccompProfile',
    detail: `pod or ${pluralize('container', 'containers', names.length)} ${joinQuote(names)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    locations: [
      {
        scope: 'podSpec',
        pointer: '/securityContext/seccompProfile',
        message: `Neither the pod nor ${pluralize('container', 'containers', names.length)} ${joinQuote(names)} set a seccomp profile (RuntimeDefault or Localhost).`,
        fix: setPatch(podSpec, '', ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }),
      },
    ],
  };
}

function seccompProfileRestricted_1_25(meta: PssPodMetadata, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (isWindowsPod(podSpec)) return allowedOutcome();
  return seccompProfileRestricted_1_19(meta, podSpec);
}

export const seccompProfileBaselineCheck: PssCheckDefinition = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp',
  versions: [
    { minMinor: 0, check: seccompProfileBaseline_1_0 },
    { minMinor: 19, check: seccompProfileBaseline_1_19 },
  ],
};

export const seccompProfileRestrictedCheck: PssCheckDefinition = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp (restricted)',
  versions: [
    { minMinor: 19, check: seccompProfileRestricted_1_19, overrides: ['seccompProfile_baseline'] },
    { minMinor: 25, check: seccompProfileRestricted_1_25, overrides: ['seccompProfile_baseline'] },
  ],
};
