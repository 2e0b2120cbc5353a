/**
 * baseline `appArmorProfile`: AppArmor may not be turned off or set to an unknown profile type,
 * neither by the securityContext fields nor by the deprecated per-container annotations (v1.0+).
 */
import { pointerOf, rec, securityContextOf, setPatch, str, visitContainers } from '../access.js';
import { compareGoStrings, goQuote, joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation, type PssPodMetadata } from '../types.js';

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function allowedProfileType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function appArmorProfile_1_0(podMetadata: PssPodMetadata, podSpec: Record<string, unknown>): PssCheckOutcome {
  const setters: string[] = [];
  const badValues: string[] = [];
  const locations: PssLocation[] = [];
  const podProfile = rec(securityContextOf(podSpec)?.['appArmorProfile']);
  if (podProfile && !allowedProfileType(str(podProfile['type']))) {
    const type = str(podProfile['type']);
    setters.push('pod');
    badValues.push(type);
    locations.push({
      scope: 'podSpec',
      pointer: '/securityContext/appArmorProfile/type',
      message: `The pod sets the AppArmor profile type "${type}".`,
      fix: setPatch(podSpec, '', ['securityContext', 'appArmorProfile'], { type: 'RuntimeDefault' }),
    });
  }
  const bad: string[] = [];
  for (const v of visitContainers(podSpec)) {
    const profile = rec(securityContextOf(v.container)?.['appArmorProfile']);
    if (!profile || allowedProfileType(str(profile['type']))) continue;
    const type = str(profile['type']);
    bad.push(v.name);
    badValues.push(type);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'appArmorProfile', 'type'),
      container: v.name,
      message: `Container "${v.name}" sets the AppArmor profile type "${type}".`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'appArmorProfile'], { type: 'RuntimeDefault' }),
    });
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);

  const annotations: string[] = [];
  const entries = Object.entries(rec(podMetadata.annotations) ?? {}).sort(([a], [b]) => compareGoStrings(a, b));
  for (const [key, raw] of entries) {
    const value = str(raw);
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
    annotations.push(`${key}=${goQuote(value)}`);
    locations.push({
      scope: 'podMetadata',
      pointer: pointerOf('', 'annotations', key),
      message: `The annotation ${key} sets the AppArmor profile "${value}".`,
      fix: [{ op: 'replace', path: pointerOf('', 'annotations', key), value: 'runtime/default' }],
    });
  }
  const valueList = sortedUnique(badValues);
  if (annotations.length > 0) {
    annotations.sort(compareGoStrings);
    valueList.push(...annotations);
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (setters.length === 0) return allowedOutcome();
  return {
    allowed: false,
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}`,
    locations,
  };
}

export const appArmorProfileCheck: PssCheckDefinition = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor',
  versions: [{ minMinor: 0, check: appArmorProfile_1_0 }],
};
