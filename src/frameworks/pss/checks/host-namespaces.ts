/** baseline `hostNamespaces`: no sharing of the host network, PID or IPC namespaces (v1.0+). */
import { setPatch } from '../access.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function hostNamespaces_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const set: string[] = [];
  const locations: PssLocation[] = [];
  for (const field of FIELDS) {
    if (podSpec[field] !== true) continue;
    set.push(`${field}=true`);
    locations.push({ scope: 'podSpec', pointer: `/${field}`, message: `The pod sets ${field}=true.`, fix: setPatch(podSpec, '', [field], false) });
  }
  if (set.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'host namespaces', detail: set.join(', '), locations };
}

export const hostNamespacesCheck: PssCheckDefinition = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host namespaces',
  versions: [{ minMinor: 0, check: hostNamespaces_1_0 }],
};
