/** baseline `capabilities_baseline`: only capabilities from the container runtime's default set may be added (v1.0+). */
import { list, pointerOf, rec, securityContextOf, str, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

/** The default capability set of container runtimes. */
export const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const added: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    const caps = rec(securityContextOf(v.container)?.['capabilities']);
    if (!caps) continue;
    const add = list(caps['add']).map(str);
    const kept = add.filter((c) => DEFAULT_CAPABILITIES.has(c));
    let valid = true;
    add.forEach((c, k) => {
      if (DEFAULT_CAPABILITIES.has(c)) return;
      valid = false;
      added.push(c);
      locations.push({
        scope: 'podSpec',
        pointer: pointerOf(v.pointer, 'securityContext', 'capabilities', 'add', k),
        container: v.name,
        message: `Container "${v.name}" adds the capability ${c}, which is not in the runtime's default set.`,
        fix: [{ op: 'replace', path: pointerOf(v.pointer, 'securityContext', 'capabilities', 'add'), value: kept }],
      });
    });
    if (!valid) bad.push(v.name);
  }
  if (bad.length === 0) return allowedOutcome();
  return {
    allowed: false,
    reason: 'non-default capabilities',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedUnique(added))} in securityContext.capabilities.add`,
    locations,
  };
}

export const capabilitiesBaselineCheck: PssCheckDefinition = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities',
  versions: [{ minMinor: 0, check: capabilitiesBaseline_1_0 }],
};
