/** NSA-CISA, CIS 5.x and other workload, network and code controls. */
import type { Control } from '../engine/types.js';
import imageMutableTag from './container/image-mutable-tag.js';

export const generalControls: readonly Control[] = [imageMutableTag];
