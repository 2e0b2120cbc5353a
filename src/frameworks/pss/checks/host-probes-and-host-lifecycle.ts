/** baseline `hostProbesAndHostLifecycle`: probes and lifecycle handlers must not target another host (v1.34+). */
import { pointerOf, rec, str, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

function hostProbesAndHostLifecycle_1_34(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const badContainers: string[] = [];
  const hosts: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    const handlers: Array<{ path: string[]; handler: Record<string, unknown> | undefined }> = [
      ...PROBES.map((p) => ({ path: [p], handler: rec(v.container[p]) })),
      ...HANDLERS.map((h) => ({ path: ['lifecycle', h], handler: rec(rec(v.container['lifecycle'])?.[h]) })),
    ];
    for (const { path, handler } of handlers) {
      if (!handler) continue;
      for (const action of ACTIONS) {
        const host = str(rec(handler[action])?.['host']);
        if (host === '') continue;
        badContainers.push(v.name);
        hosts.push(host);
        const pointer = pointerOf(v.pointer, ...path, action, 'host');
        locations.push({
          scope: 'podSpec',
          pointer,
          container: v.name,
          message: `Container "${v.name}" ${path.join('.')}.${action} targets the host "${host}" instead of the pod.`,
          fix: [{ op: 'remove', path: pointer }],
        });
      }
    }
  }
  if (badContainers.length === 0) return allowedOutcome();
  const containers = sortedUnique(badContainers);
  const forbidden = sortedUnique(hosts);
  return {
    allowed: false,
    reason: 'probe or lifecycle host',
    detail: `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', forbidden.length)} ${joinQuote(forbidden)}`,
    locations,
  };
}

export const hostProbesAndHostLifecycleCheck: PssCheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Host probes and lifecycle hooks',
  versions: [{ minMinor: 34, check: hostProbesAndHostLifecycle_1_34 }],
};
