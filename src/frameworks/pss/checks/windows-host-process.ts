/** baseline `windowsHostProcess`: neither the pod nor a container may set windowsOptions.hostProcess=true (v1.0+). */
import { pointerOf, rec, securityContextOf, setPatch, visitContainers } from '../access.js';
import { joinQuote, pluralize } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function setsHostProcess(o: Record<string, unknown>): boolean {
  return rec(securityContextOf(o)?.['windowsOptions'])?.['hostProcess'] === true;
}

function windowsHostProcess_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const locations: PssLocation[] = [];
  const setters: string[] = [];
  if (setsHostProcess(podSpec)) {
    setters.push('pod');
    locations.push({
      scope: 'podSpec',
      pointer: '/securityContext/windowsOptions/hostProcess',
      message: 'The pod sets securityContext.windowsOptions.hostProcess=true.',
      fix: setPatch(podSpec, '', ['securityContext', 'windowsOptions', 'hostProcess'], false),
    });
  }
  const bad: string[] = [];
  for (const v of visitContainers(podSpec)) {
    if (!setsHostProcess(v.container)) continue;
    bad.push(v.name);
    locations.push({
      scope: 'podSpec',
      pointer: pointerOf(v.pointer, 'securityContext', 'windowsOptions', 'hostProcess'),
      container: v.name,
      message: `Container "${v.name}" sets securityContext.windowsOptions.hostProcess=true.`,
      fix: setPatch(podSpec, v.pointer, ['securityContext', 'windowsOptions', 'hostProcess'], false),
    });
  }
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, locations };
}

export const windowsHostProcessCheck: PssCheckDefinition = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'HostProcess',
  versions: [{ minMinor: 0, check: windowsHostProcess_1_0 }],
};
