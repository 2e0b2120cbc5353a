/** restricted `allowPrivilegeEscalation`: every container must set allowPrivilegeEscalation=false (v1.8+; Windows pods exempt from v1.25). */
import { isWindowsPod, pointerOf, securityContextOf, setPatch, visitContainers } from '../access.js';
import { joinQuote, pluralize } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function allowPrivilegeEscalation_1_8(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    const value = securityContextOf(v.container)?.['allowPrivilegeEscalation'];
    if (value === false) continue;
    bad.push(v.name);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'allowPrivilegeEscalation'),
      container: v.name,
      message: value === true ? `Container "${v.name}" sets allowPrivilegeEscalation=true.` : `Container "${v.name}" does not set allowPrivilegeEscalation=false.`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'allowPrivilegeEscalation'], false),
    });
  }
  if (bad.length === 0) return allowedOutcome();
  return {
    allowed: false,
    reason: 'allowPrivilegeEscalation != false',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    locations,
  };
}

function allowPrivilegeEscalation_1_25(meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (isWindowsPod(podSpec)) return allowedOutcome();
  return allowPrivilegeEscalation_1_8(meta, podSpec);
}

export const allowPrivilegeEscalationCheck: PssCheckDefinition = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege escalation',
  versions: [
    { minMinor: 8, check: allowPrivilegeEscalation_1_8 },
    { minMinor: 25, check: allowPrivilegeEscalation_1_25 },
  ],
};
