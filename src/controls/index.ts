/** The catalog: every control kordon ships, in id order. */
import type { Control } from '../engine/types.js';
import { pssControls } from './pss.js';
import { generalControls } from './general.js';
import { rbacControls } from './rbac.js';
import { networkControls } from './network.js';
import admissionPolicyDenies from './cluster/admission-policy-denies.js';
import { nodeControls } from './nodes.js';
import { vulnControls } from './vulns.js';
import { reliabilityControls } from './reliability.js';

export const allControls: readonly Control[] = [...pssControls, ...generalControls, ...rbacControls, ...networkControls, ...reliabilityControls, ...nodeControls, ...vulnControls, admissionPolicyDenies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findControl(idOrName: string): Control | undefined {
  return allControls.find((c) => c.id === idOrName || c.name === idOrName || (c.aliases ?? []).includes(idOrName));
}

/** The built-in catalogue with custom controls (YAML+CEL or plugins, src/controls/custom/) added, in id order. */
export function catalogWith(custom: readonly Control[]): readonly Control[] {
  if (custom.length === 0) return allControls;
  return [...allControls, ...custom].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
