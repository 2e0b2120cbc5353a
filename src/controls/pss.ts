/** The Pod Security Standards controls (baseline and restricted). */
import type { Control } from '../engine/types.js';

export const pssControls: readonly Control[] = [];
