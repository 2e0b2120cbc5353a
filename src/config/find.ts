/**
 * Finding the config file without loading the schema (zod and the YAML library are loaded only
 * when a file is found): `.kordon.yaml` or `.kordon.yml` in the working directory or the
 * nearest directory above it, stopping at the root of the git repository (the directory that
 * holds `.git`) or at the file system root. A config file above the repository is never read.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES_PLAIN } from './names.js';

export type FoundConfig = { file: string } | { ambiguous: string[] } | undefined;

export function findConfigFile(start: string = process.cwd()): FoundConfig {
  let dir = path.resolve(start);
  for (;;) {
    const here = CONFIG_FILE_NAMES_PLAIN.map((n) => path.join(dir, n)).filter(isFile);
    if (here.length > 1) return { ambiguous: here };
    if (here.length === 1) return { file: here[0]! };
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
