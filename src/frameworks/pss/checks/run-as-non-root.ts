/** restricted `runAsNonRoot`: the pod or every container must set runAsNonRoot=true (v1.0+; pods in a user namespace exempt from v1.35). */
import { inUserNamespace, pointerOf, securityContextOf, setPatch, visitContainers } from '../access.js';
import { joinQuote, pluralize } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function runAsNonRoot_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const setters: string[] = [];
  const locations: PssLocation[] = [];
  const podValue = securityContextOf(podSpec)?.['runAsNonRoot'];
  let podRunAsNonRoot = false;
  if (podValue === false) {
    setters.push('pod');
    locations.push({
      scope: 'podSpec',
      pointer: '/securityContext/runAsNonRoot',
      message: 'The pod sets runAsNonRoot=false.',
      fix: setPatch(podSpec, '', ['securityContext', 'runAsNonRoot'], true),
    });
  } else if (podValue === true) podRunAsNonRoot = true;

  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const v of visitContainers(podSpec)) {
    const value = securityContextOf(v.container)?.['runAsNonRoot'];
    if (value === false) {
      explicit.push(v.name);
      const pointer = pointerOf(v.pointer, 'securityContext', 'runAsNonRoot');
      locations.push({ scope: 'podSpec', pointer, container: v.name, message: `Container "${v.name}" sets runAsNonRoot=false.`, fix: setPatch(podSpec, v.pointer, ['securityContext', 'runAsNonRoot'], true) });
    } else if (value !== true && !podRunAsNonRoot) implicit.push(v.name);
  }
  if (explicit.length > 0) setters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`);
  if (setters.length > 0) {
    return { allowed: false, reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`, locations };
  }
  if (implicit.length === 0) return allowedOutcome();
  const containers = `${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)}`;
  return {
    allowed: false,
    reason: 'runAsNonRoot != true',
    detail: `pod or ${containers} must set securityContext.runAsNonRoot=true`,
    locations: [
      {
        scope: 'podSpec',
        pointer: '/securityContext/runAsNonRoot',
        message: `Neither the pod nor ${containers} set runAsNonRoot=true.`,
        fix: setPatch(podSpec, '', ['securityContext', 'runAsNonRoot'], true),
      },
    ],
  };
}

function runAsNonRoot_1_35(meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (inUserNamespace(podSpec)) return allowedOutcome();
  return runAsNonRoot_1_0(meta, podSpec);
}

export const runAsNonRootCheck: PssCheckDefinition = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as non-root',
  versions: [
    { minMinor: 0, check: runAsNonRoot_1_0 },
    { minMinor: 35, check: runAsNonRoot_1_35 },
  ],
};
