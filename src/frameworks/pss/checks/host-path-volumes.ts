/** baseline `hostPathVolumes`: no hostPath volumes (v1.0+). */
import { isSet, list, pointerOf, rec, str } from '../access.js';
import { joinQuote, pluralize } from '../format.js';
import { allowedOutcome, type PssCheckDefinition, type PssCheckOutcome, type PssLocation } from '../types.js';

function hostPathVolumes_1_0(_meta: unknown, podSpec: Record<string, unknown>): PssCheckOutcome {
  const bad: string[] = [];
  const locations: PssLocation[] = [];
  list(podSpec['volumes']).forEach((v, i) => {
    const volume = rec(v) ?? {};
    if (!isSet(volume['hostPath'])) return;
    const name = str(volume['name']);
    bad.push(name);
    const path = str(rec(volume['hostPath'])?.['path']);
    locations.push({ scope: 'podSpec', pointer: pointerOf('', 'volumes', i, 'hostPath'), message: `Volume "${name}" mounts the host path "${path}".` });
  });
  if (bad.length === 0) return allowedOutcome();
  return { allowed: false, reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`, locations };
}

export const hostPathVolumesCheck: PssCheckDefinition = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath volumes',
  versions: [{ minMinor: 0, check: hostPathVolumes_1_0 }],
};
