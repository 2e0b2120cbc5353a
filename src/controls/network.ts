/** Network exposure and NetworkPolicy controls, judged by the network engine in src/network/. */
import type { Control } from '../engine/types.js';

export const networkControls: readonly Control[] = [];
