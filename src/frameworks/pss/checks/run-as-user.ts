/** restricted `runAsUser`: neither the pod nor a container may set runAsUser=0 (v1.23+; pods in a user namespace exempt from v1.35). */
import { inUserNamespace, pointerOf, securityContextOf, visitContainers } from '../access.js';
import { joinQuote, pluralize } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function runAsUser_1_23(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const setters: string[] = [];
  const locations: PssLocation[] = [];
  if (securityContextOf(podSpec)?.['runAsUser'] === 0) {
    setters.push('pod');
    locations.push({ scope: 'podSpec', pointer: '/securityContext/runAsUser', message: 'The pod sets runAsUser=0 (root).' });
  }
  const bad: string[] = [];
  for (const v of visitContainers(podSpec)) {
    if (securityContextOf(v.container)?.['runAsUser'] !== 0) continue;
    bad.push(v.name);
    locations.push({ scope: 'podSpec', pointer: pointerOf(v.pointer, 'securityContext', 'runAsUser'), container: v.name, message: `Container "${v.name}" sets runAsUser=0 (root).` });
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, locations };
}

function runAsUser_1_35(meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  if (inUserNamespace(podSpec)) return allowedOutcome();
  return runAsUser_1_23(meta, podSpec);
}

export const runAsUserCheck: PssCheckDefinition = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as non-root user',
  versions: [
    { minMinor: 23, check: runAsUser_1_23 },
    { minMinor: 35, check: runAsUser_1_35 },
  ],
};
