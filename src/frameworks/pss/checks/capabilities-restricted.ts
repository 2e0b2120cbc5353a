/**
 * restricted `capabilities_restricted`: containers must drop ALL and may add only NET_BIND_SERVICE
 * (v1.22+, replacing capabilities_baseline; Windows pods are exempt from v1.25).
 */
import { appendPatch, isWindowsPod, list, pointerOf, rec, securityContextOf, str, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function capabilitiesRestricted_1_22(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    const caps = rec(securityContextOf(v.container)?.['capabilities']);
    const drop = list(caps?.['drop']).map(str);
    if (!drop.includes('ALL')) {
      missingDropAll.push(v.name);
      locations.push({
        scope: 'podSpec',
        pointer: pointerOf(v.pointer, 'securityContext', 'capabilities', 'drop'),
        container: v.name,
        message: `Container "${v.name}" does not drop ALL capabilities.`,
        fix: appendPatch(podSpec, v.pointer, ['securityContext', 'capabilities', 'drop'], 'ALL'),
      });
    }
    if (!caps) continue;
    const add = list(caps['add']).map(str);
    const kept = add.filter((c) => c === 'NET_BIND_SERVICE');
    let addedForbidden = false;
    add.forEach((c, k) => {
      if (c === 'NET_BIND_SERVICE') return;
      addedForbidden = true;
      forbidden.push(c);
      locations.push({
        scope: 'podSpec',
        pointer: pointerOf(v.pointer, 'securityContext', 'capabilities', 'add', k),
        container: v.name,
        message: `Container "${v.name}" adds the capability ${c} (only NET_BIND_SERVICE may be added).`,
        fix: [{ op: 'replace', path: pointerOf(v.pointer, 'securityContext', 'capabilities', 'add'), value: kept }],
      });
    });
    if (addedForbidden) addingForbidden.push(v.name);
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${pluralize('container', 'containers', addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`,
    );
  }
  if (details.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'unrestricted capabilities', detail: details.join('; '), locations };
}

function capabilitiesRestricted_1_25(meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (isWindowsPod(podSpec)) return allowedOutcome();
  return capabilitiesRestricted_1_22(meta, podSpec);
}

export const capabilitiesRestrictedCheck: PssCheckDefinition = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities (restricted)',
  versions: [
    { minMinor: 22, check: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
    { minMinor: 25, check: capabilitiesRestricted_1_25, overrides: ['capabilities_baseline'] },
  ],
};
