/** baseline `privileged`: no container may set securityContext.privileged=true (v1.0+). */
import { joinQuote, pluralize } from '../format.js';
import { pointerOf, securityContextOf, setPatch, visitContainers } from '../access.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function privileged_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    if (securityContextOf(v.container)?.['privileged'] !== true) continue;
    bad.push(v.name);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'privileged'),
      container: v.name,
      message: `Container "${v.name}" sets securityContext.privileged=true.`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'privileged'], false),
    });
  }
  if (bad.length === 0) return allowedOutcome();
  return {
    allowed: false,
    reason: 'privileged',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`,
    locations,
  };
}

export const privilegedCheck: PssCheckDefinition = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged containers',
  versions: [{ minMinor: 0, check: privileged_1_0 }],
};
