/** RBAC controls (risky grants), judged by the RBAC engine in src/rbac/. */
import type { Control } from '../engine/types.js';

export const rbacControls: readonly Control[] = [];
