/** The catalog: every control kordon ships, in id order. */
import type { Control } from '../engine/types.js';
import { pssControls } from './pss.js';
import { generalControls } from './general.js';
import { rbacControls } from './rbac.js';
import { networkControls } from './network.js';
import { reliabilityControls } from './reliability.js';

export const allControls: readonly Control[] = [...pssControls, ...generalControls, ...rbacControls, ...networkControls, ...reliabilityControls].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findControl(idOrName: string): Control | undefined {
  return allControls.find((c) => c.id === idOrName || c.name === idOrName || (c.aliases ?? []).includes(idOrName));
}
