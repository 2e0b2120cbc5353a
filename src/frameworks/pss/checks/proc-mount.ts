/**
 * `procMount` (baseline) and `procMount_restricted`: containers keep the default /proc masks.
 * From v1.35 baseline allows any procMount in a user namespace (hostUsers: false); restricted keeps
 * the unconditional rule and replaces the baseline check.
 */
import { inUserNamespace, pointerOf, securityContextOf, setPatch, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function procMount_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const types: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    const pm = securityContextOf(v.container)?.['procMount'];
    if (pm === undefined || pm === null || pm === 'Default') continue;
    const type = String(pm);
    bad.push(v.name);
    types.push(type);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'procMount'),
      container: v.name,
      message: `Container "${v.name}" sets securityContext.procMount to "${type}".`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'procMount'], 'Default'),
    });
  }
  if (bad.length === 0) return allowedOutcome();
  return {
    allowed: false,
    reason: 'procMount',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`,
    locations,
  };
}

function procMount_1_35_baseline(meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (inUserNamespace(podSpec)) return allowedOutcome();
  return procMount_1_0(meta, podSpec);
}

export const procMountCheck: PssCheckDefinition = {
  id: 'procMount',
  level: 'baseline',
  title: '/proc mount type',
  versions: [
    { minMinor: 0, check: procMount_1_0 },
    { minMinor: 35, check: procMount_1_35_baseline },
  ],
};

export const procMountRestrictedCheck: PssCheckDefinition = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: '/proc mount type (restricted)',
  versions: [{ minMinor: 35, check: procMount_1_0, overrides: ['procMount'] }],
};
