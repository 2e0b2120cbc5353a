/** `kordon audit serve`: placeholder replaced below. */
import type { Command } from 'commander';
import type { Io } from './io.js';
export function registerAuditServe(_audit: Command, _io: Io, _done: (code: number) => void): void {}
