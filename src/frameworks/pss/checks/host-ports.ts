/** baseline `hostPorts`: no container port may bind a host port (v1.0+). */
import { list, pointerOf, rec, visitContainers } from '../access.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function hostPorts_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const ports: string[] = [];
  const locations: PssLocation[] = [];
  for (const v of visitContainers(podSpec)) {
    let valid = true;
    list(v.container['ports']).forEach((p, j) => {
      const hostPort = rec(p)?.['hostPort'];
      if (typeof hostPort !== 'number' || hostPort === 0) return;
      valid = false;
      ports.push(String(Math.trunc(hostPort)));
      const pointer = pointerOf(v.pointer, 'ports', j, 'hostPort');
      locations.push({ scope: 'podSpec', pointer, container: v.name, message: `Container "${v.name}" binds host port ${hostPort}.`, fix: [{ op: 'remove', path: pointer }] });
    });
    if (!valid) bad.push(v.name);
  }
  if (bad.length === 0) return allowedOutcome();
  const hostPorts = sortedUnique(ports);
  return {
    allowed: false,
    reason: 'hostPort',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', hostPorts.length)} ${hostPorts.join(', ')}`,
    locations,
  };
}

export const hostPortsCheck: PssCheckDefinition = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host ports',
  versions: [{ minMinor: 0, check: hostPorts_1_0 }],
};
